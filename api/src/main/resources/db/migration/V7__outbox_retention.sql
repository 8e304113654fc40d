-- Sent outbox rows are kept for optik.outbox.retention (the log a lost Redis stream is written back
-- from) and then deleted oldest first: this finds them without reading the whole table.
create index outbox_sent_time on outbox_event (committed_at) where published_at is not null;
