package dev.voxgate.dist;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.symbols.GenericSymbol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/terraform, with no Terraform binary here: every .tf file (and terraform.tfvars.example) parsed with hcl4j,
 * then the policies that matter checked across the root module and the modules it calls. hcl4j evaluates while it
 * parses and knows no variable's value, so a conditional or a merge over variables comes out collapsed or null:
 * literals, blocks and references are read from the parse, and where an expression is lost (the references a
 * module makes, the ARNs the secrets are built into) the file's text is read instead. Every check is shown able to
 * fail: {@link #aBrokenCopyFailsTheRightCheck} breaks a copy of the tree in one place and expects that check's
 * complaint.
 */
class TerraformPoliciesTest {
    private static final Path REPO = Path.of(System.getProperty("voxgate.repo.root", ".."));
    private static final Path DIR = REPO.resolve("deploy/terraform");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settings that are secrets: never in a task's plain environment, always from SSM. */
    private static final Set<String> SECRETS = Set.of("DATABASE_URL", "REDIS_URL", "METRICS_TOKEN");
    private static final Set<String> SECRET_LIKE = Set.of("DATABASE_URL", "REDIS_URL", "METRICS_TOKEN",
            "VOXGATE_API_KEYS", "UPSTREAM_API_KEY", "OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID");
    /** Actions with no resource-level permissions: AWS requires Resource "*" for these, and only these may have it. */
    private static final Set<String> STAR_RESOURCE_ACTIONS = Set.of(
            "ecr:GetAuthorizationToken",          // a registry login token is for the account, not a repository
            "ecs:RegisterTaskDefinition",         // task definitions take no resource in IAM
            "ecs:DescribeTaskDefinition",
            "transcribe:StartStreamTranscription", // Transcribe's streaming API has no resource types
            "transcribe:StartStreamTranscriptionWebSocket");
    private static final Set<String> MODULE_META = Set.of("source", "version", "providers", "depends_on", "count",
            "for_each");
    private static final Pattern VAR_REF = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern LOCAL_REF = Pattern.compile("\\blocal\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern MODULE_REF =
            Pattern.compile("\\bmodule\\.([A-Za-z_][A-Za-z0-9_]*)\\.([A-Za-z_][A-Za-z0-9_]*)");

    /** One directory of .tf files: the parse of all of them merged, and their text without whole-line comments. */
    record Module(String name, Path dir, Map<String, Object> hcl, Map<Path, String> text) {
        String allText() {
            return String.join("\n", text.values());
        }
    }

    /** The root module and the modules it calls, by the name of the module block. */
    record Tree(Path dir, Module root, Map<String, Module> children) {
        List<Module> all() {
            List<Module> all = new ArrayList<>(List.of(root));
            all.addAll(children.values());
            return all;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The policies, each on the real tree

    @Test
    void everyFileParsesAndTheProviderIsPinned() throws IOException {
        Tree t = load(DIR);
        assertThat(t.children()).containsKeys("network", "ecr", "alb", "ecs", "s3", "iam", "github_deploy");
        try (Stream<Path> files = Files.walk(DIR)) {
            long tf = files.filter(p -> p.toString().endsWith(".tf")).count();
            assertThat(t.all().stream().mapToInt(m -> m.text().size()).sum()).as("every .tf file parsed")
                    .isEqualTo((int) tf);
        }
        assertThat(pinnedProvider(t)).isEmpty();
    }

    @Test
    void everyModuleExistsAndEveryReferenceIsDeclared() throws IOException {
        assertThat(references(load(DIR))).isEmpty();
    }

    @Test
    void theLoadBalancerKeepsWebSocketsOpenAndChecksReady() throws IOException {
        assertThat(loadBalancer(load(DIR))).isEmpty();
    }

    @Test
    void theTaskRunsAsNonRootOnAReadOnlyRootAndOutlastsTheGrace() throws IOException {
        assertThat(task(load(DIR))).isEmpty();
    }

    @Test
    void secretsComeFromSsmAndNeverFromThePlainEnvironment() throws IOException {
        assertThat(secrets(load(DIR))).isEmpty();
    }

    @Test
    void theBucketIsPrivateEncryptedTlsOnlyAndExpires() throws IOException {
        assertThat(bucket(load(DIR))).isEmpty();
    }

    @Test
    void iamPoliciesHaveNoWildcardsAndTheRolesAreScoped() throws IOException {
        Tree t = load(DIR);
        assertThat(wildcards(t)).isEmpty();
        assertThat(roles(t)).isEmpty();
        assertThat(statements(t)).as("the policy documents were found").hasSizeGreaterThan(8);
    }

    @Test
    void theExampleVariablesAreDeclaredAndSetEveryRequiredOne() throws IOException {
        assertThat(example(load(DIR))).isEmpty();
    }

    static List<String> violations(Path dir) throws IOException {
        Tree t = load(dir);
        List<String> v = new ArrayList<>();
        for (Function<Tree, List<String>> check : List.<Function<Tree, List<String>>>of(
                TerraformPoliciesTest::pinnedProvider, TerraformPoliciesTest::references,
                TerraformPoliciesTest::loadBalancer, TerraformPoliciesTest::task, TerraformPoliciesTest::secrets,
                TerraformPoliciesTest::bucket, TerraformPoliciesTest::wildcards, TerraformPoliciesTest::roles,
                TerraformPoliciesTest::example)) {
            v.addAll(check.apply(t));
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Each check can fail: a copy of the tree broken in one place

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("variables.tf", "default     = 3600", "default     = 60", "idle_timeout"),
                Arguments.of("modules/alb/main.tf", "path                = var.health_check_path",
                        "path                = \"/health\"", "/ready"),
                Arguments.of("variables.tf", "default     = 120", "default     = 5", "deregistration_delay"),
                Arguments.of("variables.tf", "default     = 30\n}\n\nvariable \"max_file_size_mb\"",
                        "default     = 10\n}\n\nvariable \"max_file_size_mb\"", "stopTimeout"),
                Arguments.of("modules/alb/main.tf", "protocol          = \"HTTPS\"", "protocol          = \"HTTP\"",
                        "HTTPS listener"),
                Arguments.of("modules/ecs/main.tf", "user                   = \"10001:10001\"",
                        "user                   = \"0\"", "user"),
                Arguments.of("modules/ecs/main.tf", "logDriver = \"awslogs\"", "logDriver = \"json-file\"", "awslogs"),
                Arguments.of("main.tf", "    MAX_FILE_SIZE_MB          =",
                        "    DATABASE_URL              = \"postgresql://u:p@db/voxgate\"\n"
                                + "    MAX_FILE_SIZE_MB          =",
                        "DATABASE_URL"),
                Arguments.of("main.tf", ":ssm:${var.aws_region}", ":secretsmanager:${var.aws_region}", "SSM"),
                Arguments.of("variables.tf", "default     = [\"DATABASE_URL\", \"REDIS_URL\", ",
                        "default     = [\"DATABASE_URL\", ", "REDIS_URL"),
                Arguments.of("modules/s3/main.tf", "restrict_public_buckets = true",
                        "restrict_public_buckets = false", "restrict_public_buckets"),
                Arguments.of("modules/s3/main.tf", "resource \"aws_s3_bucket_server_side_encryption_configuration\"",
                        "resource \"aws_s3_bucket_accelerate_configuration\"", "encryption"),
                Arguments.of("modules/s3/main.tf", "variable = \"aws:SecureTransport\"",
                        "variable = \"aws:SourceIp\"", "TLS"),
                Arguments.of("main.tf", "\"results/\"  =", "\"other/\"    =", "results/"),
                Arguments.of("modules/iam/main.tf", "actions   = [\"ssm:GetParameters\"]",
                        "actions   = [\"ssm:*\"]", "wildcard action"),
                Arguments.of("modules/iam/main.tf", "\"s3:GetObject\",", "\"s3:Get*\",", "wildcard action"),
                Arguments.of("modules/iam/main.tf", "resources = [var.ecr_repository_arn]", "resources = [\"*\"]",
                        "Resource \"*\""),
                Arguments.of("modules/iam/main.tf", "resources = var.secret_parameter_arns", "resources = [\"*\"]",
                        "Resource \"*\""),
                Arguments.of("modules/github_deploy/main.tf", "variable = \"${local.oidc_host}:sub\"",
                        "variable = \"${local.oidc_host}:repository_owner\"", "exact sub"),
                Arguments.of("modules/github_deploy/main.tf", "resources = [var.service_arn]", "resources = [\"*\"]",
                        "Resource \"*\""),
                Arguments.of("main.tf", "source = \"./modules/ecs\"", "source = \"./modules/ecs2\"", "module ecs"),
                Arguments.of("modules/ecs/main.tf", "retention_in_days = var.log_retention_days",
                        "retention_in_days = var.log_retention", "var.log_retention"),
                Arguments.of("main.tf", "  keep_images = var.keep_images\n",
                        "  keep_images = var.keep_images\n  colour      = \"blue\"\n", "colour"),
                Arguments.of("outputs.tf", "value       = module.alb.dns_name", "value       = module.alb.dns",
                        "module.alb.dns"),
                Arguments.of("versions.tf", "version = \"~> 5.80\"", "version = \">= 5.0\"", "pinned"),
                Arguments.of("terraform.tfvars.example", "name              = \"voxgate\"",
                        "nmae              = \"voxgate\"", "nmae"),
                Arguments.of("main.tf", "module \"network\" {", "module \"network\" {{", "cannot parse"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("breakages")
    void aBrokenCopyFailsTheRightCheck(String file, String from, String to, String complaint, @TempDir Path tmp)
            throws IOException {
        Path copy = tmp.resolve("terraform");
        try (Stream<Path> paths = Files.walk(DIR)) {
            for (Path p : paths.toList()) {
                Path target = copy.resolve(DIR.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        Path broken = copy.resolve(file);
        String text = Files.readString(broken);
        assertThat(text.split(Pattern.quote(from), -1)).as("'%s' is in %s once", from, file).hasSize(2);
        Files.writeString(broken, text.replace(from, to));
        List<String> found;
        try {
            found = violations(copy);
        } catch (AssertionError e) {
            found = List.of(e.getMessage());
        }
        assertThat(String.join("\n", found)).as("complaints about the broken copy").contains(complaint);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checks

    static List<String> pinnedProvider(Tree t) {
        List<String> v = new ArrayList<>();
        Map<String, Object> tf = map(t.root().hcl().get("terraform"));
        Map<String, Object> aws = map(map(tf.get("required_providers")).get("aws"));
        Object version = aws.get("version");
        if (!"hashicorp/aws".equals(aws.get("source"))) {
            v.add("versions.tf: the aws provider's source is not hashicorp/aws");
        }
        if (!(version instanceof String s) || !(s.startsWith("~>") || s.matches("=?\\s*\\d.*"))) {
            v.add("versions.tf: the aws provider is not pinned (~> or an exact version): " + version);
        }
        if (tf.get("required_version") == null) v.add("versions.tf: no required_version");
        return v;
    }

    /** Modules exist; every var., local. and module. reference is declared; module calls match the variables. */
    static List<String> references(Tree t) {
        List<String> v = new ArrayList<>();
        for (var call : blocks(t.root().hcl(), "module").entrySet()) {
            Module child = t.children().get(call.getKey());
            if (child == null) {
                v.add("module " + call.getKey() + ": no .tf files at " + map(call.getValue()).get("source"));
                continue;
            }
            Map<String, Object> declared = blocks(child.hcl(), "variable");
            Set<String> given = new LinkedHashSet<>(map(call.getValue()).keySet());
            given.removeAll(MODULE_META);
            for (String arg : given) {
                if (!declared.containsKey(arg)) {
                    v.add("module " + call.getKey() + ": argument " + arg + " is not a variable of it");
                }
            }
            declared.forEach((name, body) -> {
                if (!map(body).containsKey("default") && !given.contains(name)) {
                    v.add("module " + call.getKey() + ": required variable " + name + " is not given");
                }
            });
        }
        for (Module m : t.all()) {
            Set<String> vars = blocks(m.hcl(), "variable").keySet();
            Set<String> locals = map(m.hcl().get("locals")).keySet();
            m.text().forEach((file, text) -> {
                String where = t.dir().relativize(file).toString();
                refs(VAR_REF, text).stream().filter(r -> !vars.contains(r))
                        .forEach(r -> v.add(where + ": var." + r + " is not declared"));
                refs(LOCAL_REF, text).stream().filter(r -> !locals.contains(r))
                        .forEach(r -> v.add(where + ": local." + r + " is not defined"));
                Matcher mm = MODULE_REF.matcher(text);
                while (mm.find()) {
                    Module target = t.children().get(mm.group(1));
                    if (m != t.root() || target == null) {
                        v.add(where + ": module." + mm.group(1) + " is not a module of the root");
                    } else if (!blocks(target.hcl(), "output").containsKey(mm.group(2))) {
                        v.add(where + ": module." + mm.group(1) + "." + mm.group(2) + " is not an output of it");
                    }
                }
            });
        }
        return v;
    }

    static List<String> loadBalancer(Tree t) {
        List<String> v = new ArrayList<>();
        long grace = grace(t);
        boolean anyLb = false;
        boolean https = false;
        for (Module m : t.all()) {
            for (var lb : resources(m, "aws_lb").entrySet()) {
                anyLb = true;
                Object idle = value(t, m, map(lb.getValue()).get("idle_timeout"));
                if (!(idle instanceof Number n) || n.doubleValue() < 3600) {
                    v.add("aws_lb." + lb.getKey() + ": idle_timeout " + idle
                            + " < 3600 s (WebSocket sessions last an hour)");
                }
            }
            for (var tg : resources(m, "aws_lb_target_group").entrySet()) {
                Map<String, Object> body = map(tg.getValue());
                Object path = value(t, m, map(body.get("health_check")).get("path"));
                if (!"/ready".equals(path)) {
                    v.add("aws_lb_target_group." + tg.getKey() + ": health check on " + path + ", not /ready");
                }
                Object delay = value(t, m, body.get("deregistration_delay"));
                if (!(delay instanceof Number n) || n.doubleValue() * 1000 <= grace) {
                    v.add("aws_lb_target_group." + tg.getKey() + ": deregistration_delay " + delay
                            + " s is not longer than SHUTDOWN_GRACE_MS " + grace + " ms");
                }
            }
            for (var l : resources(m, "aws_lb_listener").entrySet()) {
                Map<String, Object> body = map(l.getValue());
                Object protocol = body.get("protocol");
                if ("HTTPS".equals(protocol) && body.get("certificate_arn") != null) {
                    https = true;
                } else if (!"redirect".equals(map(body.get("default_action")).get("type"))) {
                    v.add("aws_lb_listener." + l.getKey() + ": plain " + protocol + " that does not redirect to HTTPS");
                }
            }
        }
        if (!anyLb) v.add("no aws_lb");
        if (!https) v.add("no HTTPS listener with a certificate");
        return v;
    }

    static List<String> task(Tree t) {
        List<String> v = new ArrayList<>();
        long grace = grace(t);
        int containers = 0;
        for (Module m : t.all()) {
            for (var td : resources(m, "aws_ecs_task_definition").entrySet()) {
                Map<String, Object> body = map(td.getValue());
                String name = "aws_ecs_task_definition." + td.getKey();
                if (!list(body.get("requires_compatibilities")).contains("FARGATE")) v.add(name + ": not for FARGATE");
                JsonNode defs;
                try {
                    defs = JSON.readTree(String.valueOf(body.get("container_definitions")));
                } catch (IOException e) {
                    v.add(name + ": container_definitions is not JSON: " + e.getMessage());
                    continue;
                }
                for (JsonNode c : defs) {
                    containers++;
                    String where = name + " container " + c.path("name").asText();
                    if (!c.path("user").asText().matches("10001(:10001)?")) v.add(where + ": user is not 10001");
                    if (!Boolean.TRUE.equals(json(t, m, c.get("readonlyRootFilesystem")))) {
                        v.add(where + ": root filesystem not read-only by default");
                    }
                    Set<String> mounts = new LinkedHashSet<>();
                    c.path("mountPoints").forEach(mp -> mounts.add(mp.path("containerPath").asText()));
                    if (!mounts.containsAll(List.of("/tmp", "/var/lib/voxgate"))) {
                        v.add(where + ": /tmp and DATA_DIR are not mounted writable: " + mounts);
                    }
                    Object stop = json(t, m, c.get("stopTimeout"));
                    if (!(stop instanceof Number n) || n.doubleValue() * 1000 <= grace) {
                        v.add(where + ": stopTimeout " + stop + " s is not longer than SHUTDOWN_GRACE_MS " + grace
                                + " ms");
                    }
                    JsonNode log = c.path("logConfiguration");
                    if (!"awslogs".equals(log.path("logDriver").asText())) v.add(where + ": logs not to awslogs");
                    for (String o : List.of("awslogs-group", "awslogs-region", "awslogs-stream-prefix")) {
                        if (!log.path("options").has(o)) v.add(where + ": awslogs without " + o);
                    }
                    if (!c.has("secrets")) v.add(where + ": no secrets from SSM");
                    if (c.path("privileged").asBoolean(false)) v.add(where + ": privileged");
                }
            }
        }
        if (containers == 0) v.add("no ECS container definitions found");
        return v;
    }

    static List<String> secrets(Tree t) {
        List<String> v = new ArrayList<>();
        Object declared = map(blocks(t.root().hcl(), "variable").get("ssm_secrets")).get("default");
        for (String s : SECRETS) {
            if (!list(declared).contains(s)) v.add("variables.tf: ssm_secrets does not read " + s + " from SSM");
        }
        // The map the task's secrets come from is built of SSM parameter ARNs (hcl4j loses the expression: text).
        Module ecsCaller = t.root();
        String secretsArg = null;
        for (var call : blocks(ecsCaller.hcl(), "module").entrySet()) {
            Module child = t.children().get(call.getKey());
            if (child != null && !resources(child, "aws_ecs_task_definition").isEmpty()) {
                secretsArg = ref(map(call.getValue()).get("secrets"));
                String ecsText = child.allText();
                if (!ecsText.contains("valueFrom = var.secrets[k]")) {
                    v.add(child.dir().getFileName() + ": the container's secrets are not valueFrom the secrets map");
                }
            }
        }
        if (secretsArg == null || !secretsArg.startsWith("local.")) {
            v.add("main.tf: the ECS module's secrets are not a local map of SSM ARNs: " + secretsArg);
        } else {
            String local = secretsArg.substring("local.".length());
            Matcher def = Pattern.compile("(?s)\\n\\s*" + local + "\\s*=(.*?)\\n\\s*\\n").matcher(t.root().allText());
            if (!def.find() || !def.group(1).contains(":ssm:") || !def.group(1).contains(":parameter")) {
                v.add("main.tf: local." + local + " is not built of SSM parameter ARNs (arn:…:ssm:…:parameter…)");
            }
        }
        // No secret is set anywhere as a plain value: a map key or a { name = … } entry.
        Pattern plain = Pattern.compile("(?m)^\\s*\"?(" + String.join("|", SECRET_LIKE) + ")\"?\\s*=|name\\s*=\\s*\"("
                + String.join("|", SECRET_LIKE) + ")\"");
        Map<Path, String> texts = new TreeMap<>();
        t.all().forEach(m -> texts.putAll(m.text()));
        Path example = t.dir().resolve("terraform.tfvars.example");
        try {
            texts.put(example, Files.readString(example).replaceAll("(?m)^\\s*(#|//).*$", ""));
        } catch (IOException e) {
            v.add("terraform.tfvars.example: " + e);
        }
        texts.forEach((file, text) -> {
            Matcher mm = plain.matcher(text);
            while (mm.find()) {
                v.add(t.dir().relativize(file) + ": " + mm.group().trim() + " sets a secret in plain text");
            }
        });
        return v;
    }

    static List<String> bucket(Tree t) {
        List<String> v = new ArrayList<>();
        int buckets = 0;
        for (Module m : t.all()) {
            for (String b : resources(m, "aws_s3_bucket").keySet()) {
                buckets++;
                String id = "aws_s3_bucket." + b + ".id";
                String arn = "aws_s3_bucket." + b + ".arn";
                Map<String, Object> pab = forBucket(m, "aws_s3_bucket_public_access_block", id);
                for (String k : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                        "restrict_public_buckets")) {
                    if (!Boolean.TRUE.equals(pab.get(k))) {
                        v.add("bucket " + b + ": public access block " + k + " is not true");
                    }
                }
                Object sse = map(map(forBucket(m, "aws_s3_bucket_server_side_encryption_configuration", id)
                        .get("rule")).get("apply_server_side_encryption_by_default")).get("sse_algorithm");
                if (sse == null || !List.of("AES256", "aws:kms", "aws:kms:dsse").contains(sse)) {
                    v.add("bucket " + b + ": no default server-side encryption (" + sse + ")");
                }
                Set<String> expiring = new LinkedHashSet<>();
                Map<String, Object> lifecycle = forBucket(m, "aws_s3_bucket_lifecycle_configuration", id);
                for (Object rule : list(lifecycle.get("rule"))) {
                    if (map(rule).containsKey("expiration")) {
                        expiring.add(String.valueOf(map(map(rule).get("filter")).get("prefix")));
                    }
                }
                Map<String, Object> dynamicRule = map(map(lifecycle.get("dynamic")).get("rule"));
                if (map(dynamicRule.get("content")).containsKey("expiration")) {
                    Object each = dynamicRule.get("for_each");
                    Object keys = each instanceof Map<?, ?> ? each : argument(t, m, ref(each));
                    expiring.addAll(map(keys).keySet());
                }
                for (String prefix : List.of("uploads/", "results/")) {
                    if (expiring.stream().noneMatch(p -> p.endsWith(prefix))) {
                        v.add("bucket " + b + ": nothing expires " + prefix + " (lifecycle prefixes " + expiring + ")");
                    }
                }
                Map<String, Object> policy = forBucket(m, "aws_s3_bucket_policy", id);
                String doc = ref(policy.get("policy"));
                boolean tlsOnly = false;
                if (doc != null && doc.startsWith("data.aws_iam_policy_document.")) {
                    String docName = doc.split("\\.")[2];
                    for (Object st : list(map(resourcesOf(m, "data", "aws_iam_policy_document").get(docName))
                            .get("statement"))) {
                        Map<String, Object> s = map(st);
                        Map<String, Object> cond = map(s.get("condition"));
                        if ("Deny".equals(s.get("effect")) && "aws:SecureTransport".equals(cond.get("variable"))
                                && list(cond.get("values")).contains("false")
                                && list(s.get("resources")).stream().map(TerraformPoliciesTest::ref)
                                .anyMatch(r -> r != null && r.startsWith(arn))) {
                            tlsOnly = true;
                        }
                    }
                }
                if (!tlsOnly) {
                    v.add("bucket " + b + ": no bucket policy denying requests without TLS (aws:SecureTransport)");
                }
            }
        }
        if (buckets == 0) v.add("no aws_s3_bucket");
        return v;
    }

    /** No Allow statement with a wildcard action, or with Resource "*" for actions that have resources. */
    static List<String> wildcards(Tree t) {
        List<String> v = new ArrayList<>();
        for (var e : statements(t).entrySet()) {
            Map<String, Object> s = e.getValue();
            if ("Deny".equals(s.get("effect"))) continue; // a wider deny is only safer (the bucket's TLS rule)
            String where = e.getKey();
            if (s.containsKey("not_actions") || s.containsKey("not_resources")) {
                v.add(where + ": not_actions/not_resources");
            }
            List<String> actions = list(s.get("actions")).stream().map(String::valueOf).toList();
            for (String a : actions) {
                if (a.contains("*")) v.add(where + ": wildcard action " + a);
            }
            if (list(s.get("resources")).contains("*")) {
                for (String a : actions) {
                    if (!STAR_RESOURCE_ACTIONS.contains(a)) {
                        v.add(where + ": Resource \"*\" for " + a + ", which AWS lets a policy scope to resources");
                    }
                }
            }
            for (Object p : list(s.get("principals"))) {
                if (list(map(p).get("identifiers")).contains("*")) v.add(where + ": an Allow for every principal");
            }
        }
        return v;
    }

    /** Who each role trusts, and what the execution, task and deploy roles may touch. */
    static List<String> roles(Tree t) {
        List<String> v = new ArrayList<>();
        Map<String, Map<String, Object>> all = statements(t);
        boolean ssm = false;
        boolean ecrPull = false;
        boolean github = false;
        for (var e : all.entrySet()) {
            Map<String, Object> s = e.getValue();
            List<Object> actions = list(s.get("actions"));
            List<String> resources = list(s.get("resources")).stream().map(TerraformPoliciesTest::ref)
                    .map(r -> r == null ? "" : r).toList();
            if (actions.contains("ssm:GetParameters")) ssm = !resources.contains("*");
            if (actions.contains("ecr:BatchGetImage") && resources.stream().allMatch(r -> r.startsWith("var.ecr_"))) {
                ecrPull = true;
            }
            if (!"Deny".equals(s.get("effect")) && actions.stream().anyMatch(a -> String.valueOf(a).startsWith("s3:"))
                    && !resources.stream().allMatch(r -> r.startsWith("var.bucket_arn"))) {
                v.add(e.getKey() + ": S3 actions on " + resources + ", not only the bucket");
            }
            if (actions.contains("sts:AssumeRoleWithWebIdentity")) {
                List<Object> conditions = list(s.get("condition"));
                boolean aud = conditions.stream().map(TerraformPoliciesTest::map).anyMatch(c ->
                        String.valueOf(c.get("variable")).endsWith(":aud") && "StringEquals".equals(c.get("test"))
                        && list(c.get("values")).equals(List.of("sts.amazonaws.com")));
                boolean sub = conditions.stream().map(TerraformPoliciesTest::map).anyMatch(c ->
                        String.valueOf(c.get("variable")).endsWith(":sub") && "StringEquals".equals(c.get("test")));
                github = aud && sub;
                if (!github) {
                    v.add(e.getKey() + ": GitHub's token is not limited to an exact sub and aud sts.amazonaws.com");
                }
            }
        }
        if (!ssm) v.add("no ssm:GetParameters scoped to the parameters' ARNs");
        if (!ecrPull) v.add("no ECR pull scoped to the repository");
        if (!github) v.add("no GitHub OIDC trust");
        // The sub names the one repository (hcl4j loses the list expression: text), with no wildcard in it.
        for (Module m : t.all()) {
            String text = m.allText();
            if (text.contains("AssumeRoleWithWebIdentity")
                    && !text.contains("\"repo:${var.github_repository}:${s}\"")) {
                v.add(m.dir().getFileName() + ": the token's sub is not repo:${var.github_repository}:…");
            }
            Map<String, Object> repo = map(blocks(m.hcl(), "variable").get("github_repository"));
            if (!repo.isEmpty() && m != t.root() && !repo.containsKey("validation")) {
                v.add(m.dir().getFileName() + ": github_repository is not validated as owner/name");
            }
        }
        Object subjects = map(blocks(t.root().hcl(), "variable").get("github_subjects")).get("default");
        if (list(subjects).isEmpty() || list(subjects).stream().anyMatch(s -> String.valueOf(s).contains("*"))) {
            v.add("variables.tf: github_subjects " + subjects + " is empty or has a wildcard");
        }
        return v;
    }

    static List<String> example(Tree t) {
        List<String> v = new ArrayList<>();
        Path file = t.dir().resolve("terraform.tfvars.example");
        Map<String, Object> set = parse(file);
        Map<String, Object> declared = blocks(t.root().hcl(), "variable");
        for (String k : set.keySet()) {
            if (!declared.containsKey(k)) v.add("terraform.tfvars.example: " + k + " is not a variable");
        }
        declared.forEach((k, body) -> {
            if (!map(body).containsKey("default") && !set.containsKey(k)) {
                v.add("terraform.tfvars.example: the required " + k + " is not set");
            }
        });
        return v;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading

    static Tree load(Path dir) throws IOException {
        Module root = module("root", dir);
        Map<String, Module> children = new TreeMap<>();
        for (var call : blocks(root.hcl(), "module").entrySet()) {
            Path source = dir.resolve(String.valueOf(map(call.getValue()).get("source"))).normalize();
            if (Files.isDirectory(source)) children.put(call.getKey(), module(call.getKey(), source));
        }
        return new Tree(dir, root, children);
    }

    private static Module module(String name, Path dir) throws IOException {
        Map<String, Object> hcl = new LinkedHashMap<>();
        Map<Path, String> text = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                merge(hcl, parse(f));
                text.put(f, Files.readString(f).replaceAll("(?m)^\\s*(#|//).*$", ""));
            }
        }
        if (text.isEmpty()) throw new AssertionError("module " + name + ": no .tf files in " + dir);
        return new Module(name, dir, hcl, text);
    }

    /** hcl4j prints its evaluation steps on standard output: kept out of the test's. */
    static synchronized Map<String, Object> parse(Path file) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return new HCLParser().parse(file.toFile(), "UTF-8", false);
        } catch (Exception | StackOverflowError e) {
            throw new AssertionError("hcl4j cannot parse " + file + ": " + e, e);
        } finally {
            System.setOut(out);
        }
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        from.forEach((k, val) -> {
            if (into.get(k) instanceof Map<?, ?> a && val instanceof Map<?, ?> b) {
                merge((Map<String, Object>) a, (Map<String, Object>) b);
            } else {
                into.put(k, val);
            }
        });
    }

    /** Every IAM statement of every aws_iam_policy_document (static and dynamic), by module, document and index. */
    static Map<String, Map<String, Object>> statements(Tree t) {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (Module m : t.all()) {
            resourcesOf(m, "data", "aws_iam_policy_document").forEach((doc, body) -> {
                List<Object> st = new ArrayList<>(list(map(body).get("statement")));
                Object dynamic = map(map(map(body).get("dynamic")).get("statement")).get("content");
                if (dynamic != null) st.add(dynamic);
                for (int i = 0; i < st.size(); i++) {
                    Map<String, Object> s = map(st.get(i));
                    all.put(m.name() + ": " + doc + "[" + s.getOrDefault("sid", i) + "]", s);
                }
            });
            // Policies written as jsonencode({...}) on IAM resources: the same rules.
            map(m.hcl().get("resource")).forEach((type, named) -> {
                if (!type.startsWith("aws_iam_")) return;
                map(named).forEach((n, body) -> {
                    for (String attr : List.of("policy", "assume_role_policy")) {
                        if (map(body).get(attr) instanceof String json && json.trim().startsWith("{")) {
                            try {
                                JsonNode doc = JSON.readTree(json);
                                int i = 0;
                                for (JsonNode s : doc.path("Statement").isArray() ? doc.path("Statement")
                                        : JSON.createArrayNode().add(doc.path("Statement"))) {
                                    all.put(m.name() + ": " + type + "." + n + "[" + i++ + "]", fromJson(s));
                                }
                            } catch (IOException e) {
                                all.put(m.name() + ": " + type + "." + n, Map.of("actions", List.of("unparsable*")));
                            }
                        }
                    }
                });
            });
        }
        return all;
    }

    /** A JSON policy statement in the policy document's own terms. */
    private static Map<String, Object> fromJson(JsonNode s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effect", s.path("Effect").asText("Allow"));
        for (String[] k : new String[][] {{"Action", "actions"}, {"Resource", "resources"},
                {"NotAction", "not_actions"}, {"NotResource", "not_resources"}}) {
            if (s.has(k[0])) {
                List<Object> vals = new ArrayList<>();
                if (s.get(k[0]).isArray()) s.get(k[0]).forEach(x -> vals.add(x.asText()));
                else vals.add(s.get(k[0]).asText());
                out.put(k[1], vals);
            }
        }
        return out;
    }

    /** SHUTDOWN_GRACE_MS: the larger of the server's default (the README's table) and what Terraform gives it. */
    static long grace(Tree t) {
        long readme;
        try {
            Matcher m = Pattern.compile("\\| `SHUTDOWN_GRACE_MS` \\| `(\\d+)` \\|")
                    .matcher(Files.readString(REPO.resolve("README.md")));
            readme = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE / 2;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Object tf = value(t, t.root(), map(blocks(t.root().hcl(), "variable").get("shutdown_grace_ms")).get("default"));
        return Math.max(readme, tf instanceof Number n ? n.longValue() : 0);
    }

    /**
     * A literal, or var.X followed to its value: in the root, the variable's default; in a module, the argument the
     * root passes (or the module's own default). Anything else (a computed expression) is returned as it is.
     */
    static Object value(Tree t, Module m, Object expr) {
        String r = ref(expr);
        if (r == null || !r.matches("var\\.[A-Za-z0-9_]+")) return expr;
        String name = r.substring(4);
        if (m == t.root()) return value(t, m, map(blocks(m.hcl(), "variable").get(name)).get("default"));
        Object arg = map(blocks(t.root().hcl(), "module").get(m.name())).get(name);
        if (arg != null) return value(t, t.root(), arg);
        return map(blocks(m.hcl(), "variable").get(name)).get("default");
    }

    /** The argument the root passes for a module's var.X (or null). */
    private static Object argument(Tree t, Module m, String ref) {
        if (ref == null || !ref.startsWith("var.")) return null;
        return map(blocks(t.root().hcl(), "module").get(m.name())).get(ref.substring(4));
    }

    /** A value inside jsonencode: hcl4j writes an unresolved reference as an object with its name. */
    private static Object json(Tree t, Module m, JsonNode n) {
        if (n == null) return null;
        if (n.isNumber()) return n.doubleValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isObject() && n.has("name")) return value(t, m, n.get("name").asText());
        return n.asText();
    }

    private static Map<String, Object> forBucket(Module m, String type, String bucketId) {
        for (Object body : resources(m, type).values()) {
            if (bucketId.equals(ref(map(body).get("bucket")))) return map(body);
        }
        return Map.of();
    }

    private static Set<String> refs(Pattern p, String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** A reference's text: hcl4j gives "var.x" as a symbol, or as a plain string inside an interpolation. */
    static String ref(Object o) {
        if (o instanceof GenericSymbol s) return s.getName();
        return o instanceof String s ? s : null;
    }

    static Map<String, Object> blocks(Map<String, Object> hcl, String kind) {
        return map(hcl.get(kind));
    }

    static Map<String, Object> resources(Module m, String type) {
        return resourcesOf(m, "resource", type);
    }

    private static Map<String, Object> resourcesOf(Module m, String kind, String type) {
        return map(map(m.hcl().get(kind)).get(type));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A block that appears once is a map, repeated it is a list: both as a list. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        if (o instanceof Collection<?> c) return new ArrayList<>(c);
        return o == null ? List.of() : List.of(o);
    }
}
