package dev.voxgate.server.error;

import dev.voxgate.server.Docs;
import dev.voxgate.server.transport.CloseCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/errors.md lists exactly the catalogue, with the status and close code the edges really use. */
@Timeout(10)
class ErrorCatalogueDocTest {
    private static final String NONE = "—";

    private static Map<String, List<String>> rows() {
        return Docs.codeRows(Docs.read("docs/errors.md"));
    }

    @Test
    void everyCodeIsDocumentedAndNothingElse() {
        var documented = new TreeSet<>(rows().keySet());
        var catalogue = Arrays.stream(ErrorCode.values()).map(ErrorCode::code)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).as("codes in docs/errors.md").isEqualTo(catalogue);
    }

    @Test
    void documentedStatusesAreTheMappersStatuses() {
        rows().forEach((code, cells) -> {
            String http = cells.get(0);
            if (!http.equals(NONE)) {
                ErrorCode c = ErrorCode.of(code).orElseThrow();
                // "415 (400 under `/v1/`)": the native status first, then OpenAI's shape's where it differs
                Matcher m = Pattern.compile("(\\d{3})(?: \\((\\d{3}) under `/v1/`\\))?").matcher(http);
                assertThat(m.matches()).as(code + " HTTP cell: " + http).isTrue();
                assertThat(Integer.parseInt(m.group(1))).as(code + " HTTP status")
                        .isEqualTo(HttpErrorMapper.NATIVE.status(c));
                int openAi = m.group(2) == null ? Integer.parseInt(m.group(1)) : Integer.parseInt(m.group(2));
                assertThat(openAi).as(code + " HTTP status under /v1/").isEqualTo(HttpErrorMapper.OPENAI.status(c));
            }
        });
    }

    @Test
    void documentedCloseCodesAreTheCodecsAndOnlyForStreamingCodes() {
        rows().forEach((code, cells) -> {
            ErrorCode c = ErrorCode.of(code).orElseThrow();
            String close = cells.get(1);
            if (CloseCodes.streamCodes().contains(c)) {
                assertThat(close).as(code + " is sent on /v1/listen: its close code").isNotEqualTo(NONE);
                assertThat(Integer.parseInt(close)).as(code + " close code").isEqualTo(CloseCodes.of(c));
            } else {
                assertThat(close).as(code + " is not sent on /v1/listen").isEqualTo(NONE);
            }
        });
    }

    @Test
    void everyRowSaysWhereItIsSentAndWhatToDo() {
        rows().forEach((code, cells) -> {
            assertThat(cells).as(code).hasSize(4);
            assertThat(cells.get(2)).as(code + ": sent on").isNotBlank();
            assertThat(cells.get(3)).as(code + ": what to do").isNotBlank();
        });
    }

    @Test
    void theReadmeAndTheProtocolAndApiDocsLinkIt() {
        assertThat(Docs.read("README.md")).contains("(docs/errors.md)");
        assertThat(Docs.read("docs/protocol.md")).contains("(errors.md)");
        assertThat(Docs.read("docs/api.md")).contains("(errors.md)");
    }
}
