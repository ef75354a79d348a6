-- A corrected letter (更正) points at the sent letter it supersedes. The old letter stays frozen and unchanged;
-- it reads as 已更正 because a sent letter corrects it.
ALTER TABLE letters ADD COLUMN corrects_id BIGINT REFERENCES letters(id);
CREATE INDEX letters_corrects ON letters(corrects_id);
