package dev.voxgate.testkit;

import java.nio.file.Path;

/** One recording of the speech corpus with its reference transcript. */
public record Utterance(String id, Path wav, double seconds, String reference) {
}
