-- Stock that arrives from a supplier, and stock that moves between branches.

-- A supplier's delivery booked into a branch: its lines raise the branch's stock in one transaction.
-- The same delivery note (supplier and reference) is booked once per branch.
create table delivery (
    id           bigserial primary key,
    branch_id    bigint      not null references branch (id),
    supplier     text        not null check (length(supplier) between 1 and 100),
    reference    text        not null check (length(reference) between 1 and 100),
    received_by  bigint      not null references app_user (id),
    received_at  timestamptz not null,
    unique (branch_id, supplier, reference)
);

create table delivery_item (
    delivery_id  bigint  not null references delivery (id),
    product_id   bigint  not null references product (id),
    quantity     integer not null check (quantity between 1 and 100000),
    primary key (delivery_id, product_id)
);

-- A transfer: asked for by the branch that needs the stock (to), sent by the one that has it (from).
-- Sent units are in transit: counted in neither branch's stock until received, or, on a cancel after
-- sending, back in the sender's.
create table stock_transfer (
    id              bigserial primary key,
    transfer_no     text        not null unique,
    from_branch_id  bigint      not null references branch (id),
    to_branch_id    bigint      not null references branch (id),
    status          text        not null check (status in ('REQUESTED', 'SENT', 'RECEIVED', 'CANCELLED')),
    note            text        check (length(note) <= 500),
    requested_by    bigint      not null references app_user (id),
    requested_at    timestamptz not null,
    sent_by         bigint      references app_user (id),
    sent_at         timestamptz,
    received_by     bigint      references app_user (id),
    received_at     timestamptz,
    cancelled_by    bigint      references app_user (id),
    cancelled_at    timestamptz,
    check (from_branch_id <> to_branch_id),
    check ((status = 'REQUESTED') = (sent_at is null and cancelled_at is null) or status = 'CANCELLED'),
    check (status <> 'RECEIVED' or received_at is not null)
);
create index stock_transfer_from on stock_transfer (from_branch_id, status);
create index stock_transfer_to on stock_transfer (to_branch_id, status);

create table stock_transfer_item (
    transfer_id  bigint  not null references stock_transfer (id),
    product_id   bigint  not null references product (id),
    quantity     integer not null check (quantity between 1 and 100000),
    -- what arrived; less than quantity is a short delivery, the difference kept here
    received     integer check (received between 0 and quantity),
    primary key (transfer_id, product_id)
);

-- One counter for every numbered document of a branch's business day (orders PSN-, transfers TRF-),
-- taken with the document's insert in its transaction: no number twice, a rollback leaves a gap.
create table document_number (
    prefix        text    not null,
    branch_id     bigint  not null references branch (id),
    business_date date    not null,
    last_number   integer not null,
    primary key (prefix, branch_id, business_date)
);
insert into document_number (prefix, branch_id, business_date, last_number)
    select 'PSN', branch_id, business_date, last_number from order_number;
drop table order_number;

-- the movement history names what moved the stock: a delivery note, a transfer number
alter table stock_movement add column reference text;
alter table stock_movement drop constraint stock_movement_kind_check;
alter table stock_movement add constraint stock_movement_kind_check
    check (kind in ('SOLD', 'RESTOCKED', 'CORRECTED', 'RETURNED', 'TRANSFERRED_OUT', 'TRANSFERRED_IN'));
