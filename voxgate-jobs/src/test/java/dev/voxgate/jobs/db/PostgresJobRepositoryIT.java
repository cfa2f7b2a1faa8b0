package dev.voxgate.jobs.db;

import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

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
    void oneOwnersJobsAreListedNewestFirstStraightFromTheIndex() throws Exception {
        try (Connection c = testDb.connect(); Statement st = c.createStatement()) {
            // An empty table is read fastest without an index; this asks what the planner does with a large one.
            st.execute("SET enable_seqscan = off");
            assertThat(plan(c, "EXPLAIN", JobRepository.pageSql(true), "key-alice", 2, 0))
                    .contains("Index Scan using jobs_by_owner_created")
                    .doesNotContain("Sort");
            assertThat(plan(c, "EXPLAIN", JobRepository.countSql(true), "key-alice")).contains("jobs_by_owner_created");
        }
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
