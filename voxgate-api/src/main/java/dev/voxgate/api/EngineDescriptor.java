package dev.voxgate.api;

import java.util.Map;

/**
 * Identity and capabilities of a loaded engine.
 *
 * @param id           the name clients select it by ({@code engine=vosk})
 * @param model        facts about the loaded model for operators (name, path, uuid, …)
 */
public record EngineDescriptor(String id, String description, String version,
                               EngineCapabilities capabilities, Map<String, String> model) {
    public EngineDescriptor {
        model = Map.copyOf(model);
    }
}
