-- Products: a barcode (optional, unique), a brand, active or not, and a version for optimistic edits.
alter table product add column barcode text unique;
alter table product add column brand text not null default '';
alter table product add column active boolean not null default true;
alter table product add column version bigint not null default 0;
alter table product add column updated_at timestamptz not null default now();
