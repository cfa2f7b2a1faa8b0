package dev.voxgate.jobs;

import dev.voxgate.jobs.db.Database;
import dev.voxgate.jobs.support.ScriptedTranscriber;
import dev.voxgate.jobs.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresTranscriptionJobsIT extends TranscriptionJobsContract {
    @Override
    TestDatabase newDatabase(Path dir) throws Exception {
        return TestDatabase.postgres();
    }

    @Test
    void twoNodesOnOneDatabaseRunEachJobExactlyOnce() throws Exception {
        ScriptedTranscriber t = new ScriptedTranscriber((audio, request, progress, call) -> {
            Thread.sleep(300);
            return ScriptedTranscriber.fromWav(audio, progress);
        });
        // Both nodes share the database and the data folder (a shared volume), as deployed.
        JobsBackend a = start(config(), t, Clock.systemUTC());
        JobsBackend b = start(config(), t, Clock.systemUTC());
        assertThat(a.databaseVendor()).isEqualTo(Database.Vendor.POSTGRESQL);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(submit(i % 2 == 0 ? a : b, 1.0).id());

        List<String> workers = new ArrayList<>();
        for (UUID id : ids) workers.add(awaitStatus(a, id, JobStatus.SUCCEEDED, Duration.ofSeconds(60)).workerId());
        for (UUID id : ids) assertThat(t.calls(id)).as("calls for " + id).isEqualTo(1);
        assertThat(t.allCalls()).hasSize(20);
        assertThat(workers).containsOnly(a.nodeId(), b.nodeId()).contains(a.nodeId(), b.nodeId());
        assertThat(a.jobs().list(OPEN, 0, 50).items()).extracting(JobRecord::attempts).containsOnly(1);
    }
}
