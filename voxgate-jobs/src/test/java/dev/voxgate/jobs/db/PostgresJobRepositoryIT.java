package dev.voxgate.jobs.db;

import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresJobRepositoryIT extends JobRepositoryContract {
    @Override
    TestDatabase newDatabase(Path dir) throws Exception {
        return TestDatabase.postgres();
    }

    @Test
    void isPostgres() {
        assertThat(database.vendor()).isEqualTo(Database.Vendor.POSTGRESQL);
        assertThat(database.isReachable()).isTrue();
    }

    @Test
    void anUnreachableServerIsReportedWithoutThePassword() {
        DatabaseTarget nowhere =
                DatabaseTarget.parse("postgresql://postgres:secret@127.0.0.1:1/none?connectTimeout=2", Path.of("x"));
        assertThatThrownBy(() -> Database.open(nowhere, 2))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(
                        "cannot connect to the job database (PostgreSQL jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret");
    }
}
