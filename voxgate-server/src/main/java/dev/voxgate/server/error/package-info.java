/**
 * The error catalogue: {@link dev.voxgate.server.error.ErrorCode} lists every reason a stream, a request or a
 * job can fail, with no protocol in it. Domain code throws an {@link dev.voxgate.server.error.ApiError} (inside
 * an {@link dev.voxgate.server.error.ApiException}); {@link dev.voxgate.server.error.HttpErrorMapper} writes it
 * in the native or in OpenAI's body shape, and the WebSocket codec maps it to a close code.
 */
package dev.voxgate.server.error;
