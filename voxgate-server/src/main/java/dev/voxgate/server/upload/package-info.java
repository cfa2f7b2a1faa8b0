/**
 * Multipart uploads onto disk, within {@code MAX_FILE_SIZE_MB}: {@link dev.voxgate.server.upload.UploadReceiver}
 * gives an {@link dev.voxgate.server.upload.Upload} (a file under a name of our own, deleted on close) or an
 * {@link dev.voxgate.server.upload.UploadException}; {@link dev.voxgate.server.upload.FileNames} makes the
 * client's file name safe to show.
 */
package dev.voxgate.server.upload;
