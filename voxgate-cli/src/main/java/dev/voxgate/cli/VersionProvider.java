package dev.voxgate.cli;

import dev.voxgate.server.ops.BuildInfo;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.load();
        return new String[] {"voxgate " + b.version() + " (commit " + b.commit() + ", built " + b.buildTime() + ")"};
    }
}
