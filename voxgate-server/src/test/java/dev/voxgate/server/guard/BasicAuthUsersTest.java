package dev.voxgate.server.guard;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.voxgate.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BasicAuthUsersTest {
    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUserWithTheRightPasswordGetsIn() {
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret pass".toCharArray());
        BasicAuthUsers users = BasicAuthUsers.parse("alice:" + hash + ", bob:" + hash.replace("$2a$", "$2y$"));
        assertThat(users.accepts(basic("alice:s3cret pass"))).isTrue();
        assertThat(users.accepts(basic("bob:s3cret pass"))).isTrue();
        assertThat(users.accepts(basic("alice:wrong"))).isFalse();
        assertThat(users.accepts(basic("mallory:s3cret pass"))).isFalse();
        assertThat(users.accepts(basic("alice"))).isFalse();
        assertThat(users.accepts("Basic !!!")).isFalse();
        assertThat(users.accepts("Bearer x")).isFalse();
        assertThat(users.accepts(null)).isFalse();
    }

    @Test
    void badEntriesStopStartUp() {
        assertThatThrownBy(() -> BasicAuthUsers.parse("alice:plaintext")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:bcrypt-hash").hasMessageNotContaining("plaintext");
        assertThatThrownBy(() -> BasicAuthUsers.parse(" , ")).isInstanceOf(ConfigException.class);
    }
}
