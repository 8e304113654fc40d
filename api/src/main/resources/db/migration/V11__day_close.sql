-- A branch's business day closed by an admin: the day's figures as they stood at the close (the Z
-- report), the cash counted against the cash expected, and a note. A sale of that branch and day is
-- refused while it is closed; an admin may reopen it (logged), and a later close fixes the figures again.
create table day_close (
    branch_id          bigint      not null references branch (id),
    business_date      date        not null,
    closed             boolean     not null,
    transactions       bigint      not null,
    total              bigint      not null,
    bpjs               bigint      not null,
    umum               bigint      not null,
    returns            bigint      not null,
    deposits_received  bigint      not null,
    deposits_settled   bigint      not null,
    deposits_refunded  bigint      not null,
    cash_expected      bigint      not null,
    cash_counted       bigint      not null check (cash_counted >= 0),
    note               text        not null default '',
    closed_by          bigint      not null references app_user (id),
    closed_at          timestamptz not null,
    primary key (branch_id, business_date)
);

-- every close and reopen, who and when (a reopen says why)
create table day_close_log (
    id             bigserial primary key,
    branch_id      bigint      not null references branch (id),
    business_date  date        not null,
    action         text        not null check (action in ('CLOSED', 'REOPENED')),
    note           text        not null default '',
    by_user        bigint      not null references app_user (id),
    at             timestamptz not null
);
create index day_close_log_day on day_close_log (branch_id, business_date);
