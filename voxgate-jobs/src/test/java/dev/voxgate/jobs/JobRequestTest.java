package dev.voxgate.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class JobRequestTest {

    @Test
    void blankEngineAndLanguageMeanTheDefaults() {
        JobRequest r = new JobRequest(" ", "", Set.of(ResultFormat.VTT, ResultFormat.TXT));
        assertThat(r.engine()).isNull();
        assertThat(r.language()).isNull();
        assertThat(r.formatList()).isEqualTo("txt,vtt");
    }

    @Test
    void namesThatCouldCarryAnythingElseAreRefused() {
        assertThatThrownBy(() -> new JobRequest("vosk'; DROP TABLE jobs;--", null, EnumSet.allOf(ResultFormat.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("engine must be");
        assertThatThrownBy(() -> new JobRequest(null, "en\nUS", EnumSet.allOf(ResultFormat.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("language must be");
        assertThatThrownBy(() -> new JobRequest(null, null, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsParseLeniently() {
        assertThat(ResultFormat.parse(".SRT")).contains(ResultFormat.SRT);
        assertThat(ResultFormat.parse("docx")).isEmpty();
        assertThat(ResultFormat.parse(null)).isEmpty();
    }

    @Test
    void displayNamesAreTextOnly() {
        assertThat(TranscriptionJobs.displayName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(TranscriptionJobs.displayName("C:\\Users\\me\\talk.mp3")).isEqualTo("talk.mp3");
        assertThat(TranscriptionJobs.displayName("bad\u0000name\n.wav")).isEqualTo("badname.wav");
        assertThat(TranscriptionJobs.displayName("   ")).isEqualTo("upload");
        assertThat(TranscriptionJobs.displayName(null)).isEqualTo("upload");
        assertThat(TranscriptionJobs.displayName("x".repeat(1000))).hasSize(255);
    }
}
