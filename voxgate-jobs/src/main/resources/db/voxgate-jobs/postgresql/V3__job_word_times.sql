-- 1 when the job asked for Whisper's words to be timed (word_timestamps=true): its json, srt and vtt
-- then carry word times, at about three times the CPU. 0 for every job made before.
ALTER TABLE jobs ADD COLUMN word_times INTEGER NOT NULL DEFAULT 0;
