-- The shop's domain. Money is whole rupiah (bigint); IDR has no minor unit in practice.

create table branch (
    id         bigint primary key,
    name       text   not null unique,
    -- Last event seq handed out for this branch. Bumped (row-locked) in the same transaction as the
    -- change it describes, so a branch's seqs are dense and in commit order.
    event_seq  bigint not null default 0
);

create table app_user (
    id            bigserial primary key,
    username      text not null unique,
    password_hash text not null,
    role          text not null check (role in ('SUPER_ADMIN', 'ADMIN', 'KASIR')),
    branch_id     bigint references branch (id),
    constraint user_branch_matches_role check ((role = 'SUPER_ADMIN') = (branch_id is null))
);

create table product (
    id     bigserial primary key,
    kode   text   not null unique,
    name   text   not null,
    type   text   not null check (type in ('FRAME', 'LENS', 'ACCESSORY')),
    price  bigint not null check (price >= 0)
);

create table stock (
    product_id bigint      not null references product (id),
    branch_id  bigint      not null references branch (id),
    quantity   integer     not null check (quantity >= 0),
    updated_at timestamptz not null default now(),
    primary key (branch_id, product_id)
);

create table stock_adjustment (
    id                bigserial primary key,
    product_id        bigint      not null references product (id),
    branch_id         bigint      not null references branch (id),
    delta             integer     not null check (delta <> 0),
    quantity_after    integer     not null check (quantity_after >= 0),
    reason            text        not null,
    user_id           bigint      not null references app_user (id),
    created_at        timestamptz not null default now()
);
create index stock_adjustment_branch_time on stock_adjustment (branch_id, created_at);

create sequence sale_id_seq increment by 1;

create table sale (
    id               bigint primary key default nextval('sale_id_seq'),
    invoice_no       text        not null unique,
    branch_id        bigint      not null references branch (id),
    cashier_id       bigint      not null references app_user (id),
    payment_type     text        not null check (payment_type in ('BPJS', 'UMUM')),
    customer_name    text,
    total            bigint      not null check (total >= 0),
    created_at       timestamptz not null default now(),
    business_date    date        not null,
    idempotency_key  text        not null,
    request_hash     text        not null,
    constraint sale_idempotency unique (cashier_id, idempotency_key)
);
create index sale_branch_day on sale (branch_id, business_date);

create table sale_item (
    id          bigserial primary key,
    sale_id     bigint  not null references sale (id),
    product_id  bigint  not null references product (id),
    quantity    integer not null check (quantity between 1 and 1000),
    unit_price  bigint  not null check (unit_price >= 0)
);
create index sale_item_sale on sale_item (sale_id);

create table customer_order (
    id            bigserial primary key,
    order_no      text        not null unique,
    branch_id     bigint      not null references branch (id),
    customer_name text        not null,
    description   text        not null,
    status        text        not null check (status in ('IN_PROGRESS', 'READY', 'PICKED_UP')),
    created_by    bigint      not null references app_user (id),
    created_at    timestamptz not null default now(),
    ready_at      timestamptz,
    picked_up_at  timestamptz
);
create index customer_order_branch_status on customer_order (branch_id, status);

-- The transactional outbox: one row per event, written in the transaction of the change.
create table outbox_event (
    id            bigserial primary key,
    branch_id     bigint      not null references branch (id),
    seq           bigint      not null,
    type          text        not null,
    payload       jsonb       not null,
    committed_at  timestamptz not null,
    published_at  timestamptz,
    constraint outbox_branch_seq unique (branch_id, seq)
);
create index outbox_unpublished on outbox_event (branch_id, seq) where published_at is null;
