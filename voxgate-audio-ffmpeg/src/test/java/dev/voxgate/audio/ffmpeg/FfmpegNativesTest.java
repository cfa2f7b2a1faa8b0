package dev.voxgate.audio.ffmpeg;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class FfmpegNativesTest {

    @Test
    void nativesUnpackUnderVoxgatesCacheFolder() {
        assertThat(FfmpegNatives.cacheDir(Map.of("VOXGATE_CACHE_DIR", "/srv/voxgate/cache")))
                .isEqualTo(Path.of("/srv/voxgate/cache/javacpp"));
        assertThat(FfmpegNatives.cacheDir(Map.of("XDG_CACHE_HOME", "/home/u/.xdg-cache")))
                .isEqualTo(Path.of("/home/u/.xdg-cache/voxgate/javacpp"));
        assertThat(FfmpegNatives.cacheDir(Map.of("VOXGATE_CACHE_DIR", " ")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "voxgate", "javacpp"));
    }

    @Test
    void ffmpegIsQuietUnlessALevelIsSet() {
        assertThat(FfmpegNatives.logLevel(null)).isEqualTo(-8);
        assertThat(FfmpegNatives.logLevel("")).isEqualTo(-8);
        assertThat(FfmpegNatives.logLevel("Warning")).isEqualTo(24);
        assertThat(FfmpegNatives.logLevel("48")).isEqualTo(48);
        assertThat(FfmpegNatives.logLevel("chatty")).isEqualTo(-8);
    }

    @Test
    void theCacheFolderIsSetBeforeJavaCppLoads() throws Exception {
        FfmpegNatives.load();
        // The build points it at a shared test folder; what counts is that JavaCPP used the property.
        assertThat(Loader.getCacheDir().toPath())
                .isEqualTo(Path.of(System.getProperty(FfmpegNatives.CACHE_DIR_PROPERTY)).toAbsolutePath());
    }

    @Test
    void javaCppsLimitOnTheWholeProcesssMemoryIsOff() throws Exception {
        FfmpegNatives.load();
        // Else a process with a speech model in native memory and a small heap fails every decode.
        assertThat(Pointer.maxPhysicalBytes()).isZero();
    }
}
