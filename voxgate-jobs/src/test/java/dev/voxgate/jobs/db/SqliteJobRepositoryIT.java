package dev.voxgate.jobs.db;

import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteJobRepositoryIT extends JobRepositoryContract {
    @Override
    TestDatabase newDatabase(Path dir) {
        return TestDatabase.sqlite(dir);
    }

    @Test
    void poolConnectionsUseWalABusyTimeoutAndForeignKeys() throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            assertThat(scalar(c, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
            assertThat(scalar(c, "PRAGMA busy_timeout")).isEqualTo("10000");
            assertThat(scalar(c, "PRAGMA foreign_keys")).isEqualTo("1");
        }
        assertThat(database.vendor()).isEqualTo(Database.Vendor.SQLITE);
        assertThat(database.isReachable()).isTrue();
    }

    @Test
    void oneOwnersJobsAreListedNewestFirstStraightFromTheIndex() throws Exception {
        try (Connection c = testDb.connect()) {
            assertThat(plan(c, "EXPLAIN QUERY PLAN", JobRepository.pageSql(true), "key-alice", 2, 0))
                    .contains("USING INDEX jobs_by_owner_created (owner=?)")
                    .doesNotContain("TEMP B-TREE");
            assertThat(plan(c, "EXPLAIN QUERY PLAN", JobRepository.countSql(true), "key-alice"))
                    .contains("USING COVERING INDEX jobs_by_owner_created (owner=?)");
            assertThat(plan(c, "EXPLAIN QUERY PLAN", JobRepository.pageSql(false), 2, 0))
                    .contains("jobs_by_created").doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void createsTheFileAndItsFolder() throws Exception {
        database.close();
        Path nested = dir.resolve("a/b/voxgate.db");
        try (Database db = Database.open(new DatabaseTarget.Sqlite(nested), 2)) {
            assertThat(nested).exists();
            assertThat(db.description()).contains(nested.toString());
        }
    }
}
