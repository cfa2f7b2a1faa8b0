package dev.voxgate.server.session;

import dev.voxgate.server.error.ApiError;

/** Makes the {@link SessionTap} of each new session, or refuses the session (the archive's spool is full). */
public interface SessionTaps {
    SessionTaps NONE = (info, caller) -> SessionTap.NONE;

    /**
     * Called on the network thread once a session is admitted, before it starts.
     *
     * @param caller the guard's {@code Caller.limitIdentity()}: {@code key:<id>} when a key authenticated the
     *               stream, else {@code ip:<address>}
     * @throws Refused when the session must not start; its error goes to the client
     */
    SessionTap open(SessionInfo info, String caller) throws Refused;

    /** The session cannot start because of its tap; {@link #error()} says why. */
    final class Refused extends Exception {
        private final transient ApiError error;

        public Refused(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }
}
