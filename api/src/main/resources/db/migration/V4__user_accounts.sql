-- Users: active or not; tokens issued before tokens_valid_after are refused (deactivation, password
-- reset, a new role or branch); a reset password must be changed at the next login.
alter table app_user add column active boolean not null default true;
alter table app_user add column must_change_password boolean not null default false;
alter table app_user add column tokens_valid_after timestamptz;
alter table app_user add column created_at timestamptz not null default now();
alter table app_user add column version bigint not null default 0;
