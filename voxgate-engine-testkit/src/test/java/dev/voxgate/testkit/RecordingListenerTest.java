package dev.voxgate.testkit;

import dev.voxgate.api.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recorder notices each way a session can break the listener contract, so the engine contract can fail. */
@Timeout(5)
class RecordingListenerTest {
    private static Segment seg(String text) {
        return new Segment(text, 0, 1, List.of());
    }

    @Test
    void callbacksDuringDrivingCallsAreFine() throws Exception {
        RecordingListener r = new RecordingListener();
        r.driving(() -> {
            r.onPartial("hel");
            r.onFinal(seg("hello"));
        });
        r.finishReturned();
        r.closeReturned();
        r.assertNoViolations();
        assertThat(r.text()).isEqualTo("hello");
        assertThat(r.count()).isEqualTo(2);
    }

    @Test
    void emptyFinalIsAViolation() throws Exception {
        RecordingListener r = new RecordingListener();
        r.driving(() -> r.onFinal(seg("  ")));
        assertThatThrownBy(r::assertNoViolations).hasMessageContaining("empty final");
    }

    @Test
    void callbackAfterFinishOrCloseReturnedIsAViolation() throws Exception {
        RecordingListener afterFinish = new RecordingListener();
        afterFinish.finishReturned();
        afterFinish.driving(() -> afterFinish.onFinal(seg("late")));
        assertThatThrownBy(afterFinish::assertNoViolations).hasMessageContaining("after finish() had returned");

        RecordingListener afterClose = new RecordingListener();
        afterClose.closeReturned();
        afterClose.driving(() -> afterClose.onPartial("late"));
        assertThatThrownBy(afterClose::assertNoViolations).hasMessageContaining("after close() had returned");
    }

    @Test
    void callbackOutsideACallOrOnAnotherThreadIsAViolation() throws Exception {
        RecordingListener outside = new RecordingListener();
        outside.onFinal(seg("from nowhere"));
        assertThatThrownBy(outside::assertNoViolations).hasMessageContaining("outside any accept()/finish() call");

        RecordingListener other = new RecordingListener();
        other.driving(() -> {
            Thread t = Thread.ofPlatform().name("engine-own-thread").start(() -> other.onPartial("hi"));
            t.join();
        });
        assertThatThrownBy(other::assertNoViolations).hasMessageContaining("engine-own-thread")
                .hasMessageContaining("not the driving thread");
    }
}
