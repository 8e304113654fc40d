-- A login session: what a browser's (or a till's) token renewals continue, up to an absolute end
-- (optik.auth.session-lifetime); a logout ends it, and its tokens are refused from then on.
create table login_session (
    id uuid primary key,
    user_id bigint not null references app_user (id),
    started_at timestamptz not null,
    renewed_at timestamptz not null,
    expires_at timestamptz not null,
    ended_at timestamptz
);
create index login_session_user on login_session (user_id);
create index login_session_expires on login_session (expires_at);
