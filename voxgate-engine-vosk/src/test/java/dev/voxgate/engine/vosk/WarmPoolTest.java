package dev.voxgate.engine.vosk;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bound and the close of the idle pool, on plain objects. */
class WarmPoolTest {
    private final List<String> discarded = new ArrayList<>();

    @Test
    void keepsUpToItsBoundAndDiscardsTheRestAtOnce() {
        WarmPool<String> pool = new WarmPool<>(2, discarded::add);
        assertThat(pool.offer("a")).isTrue();
        assertThat(pool.offer("b")).isTrue();
        assertThat(pool.hasRoom()).isFalse();
        assertThat(pool.offer("c")).isFalse();
        assertThat(discarded).containsExactly("c");
        assertThat(pool.idle()).isEqualTo(2);
    }

    @Test
    void handsOutTheMostRecentlyReturnedFirstAndNothingWhenEmpty() {
        WarmPool<String> pool = new WarmPool<>(3, discarded::add);
        pool.offer("old");
        pool.offer("recent");
        assertThat(pool.poll()).isEqualTo("recent");
        assertThat(pool.poll()).isEqualTo("old");
        assertThat(pool.poll()).isNull();
        assertThat(pool.hasRoom()).isTrue();
        assertThat(discarded).isEmpty();
    }

    @Test
    void closeDiscardsTheIdleOnesAndEverythingOfferedAfter() {
        WarmPool<String> pool = new WarmPool<>(3, discarded::add);
        pool.offer("a");
        pool.offer("b");
        pool.close();
        assertThat(discarded).containsExactlyInAnyOrder("a", "b");
        assertThat(pool.idle()).isZero();
        assertThat(pool.poll()).isNull();
        assertThat(pool.hasRoom()).isFalse();
        assertThat(pool.offer("late")).isFalse();
        assertThat(discarded).containsExactlyInAnyOrder("a", "b", "late");
        pool.close();
        assertThat(discarded).hasSize(3);
    }

    @Test
    void aBoundOfZeroKeepsNothing() {
        WarmPool<String> pool = new WarmPool<>(0, discarded::add);
        assertThat(pool.offer("a")).isFalse();
        assertThat(discarded).containsExactly("a");
        assertThatThrownBy(() -> new WarmPool<String>(-1, discarded::add)).isInstanceOf(IllegalArgumentException.class);
    }
}
