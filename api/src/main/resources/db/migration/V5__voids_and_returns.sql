-- Voids and returns: the units of each line returned so far, never more than were sold.
alter table sale add column status text not null default 'COMPLETED'
    check (status in ('COMPLETED', 'PARTLY_RETURNED', 'VOIDED'));
alter table sale_item add column returned_quantity integer not null default 0;
alter table sale_item add constraint sale_item_returned_at_most_sold
    check (returned_quantity >= 0 and returned_quantity <= quantity);

-- One row per void or return: booked on the business day it happens, in the payment type of its
-- sale (a return on a later day is a negative line on that day, as shops book it).
create table sale_return (
    id               bigserial primary key,
    sale_id          bigint      not null references sale (id),
    branch_id        bigint      not null references branch (id),
    kind             text        not null check (kind in ('VOID', 'RETURN')),
    reason           text        not null,
    amount           bigint      not null check (amount >= 0),
    payment_type     text        not null check (payment_type in ('BPJS', 'UMUM')),
    business_date    date        not null,
    created_by       bigint      not null references app_user (id),
    created_at       timestamptz not null,
    idempotency_key  text        not null,
    request_hash     text        not null,
    constraint sale_return_idempotency unique (created_by, idempotency_key)
);
create index sale_return_branch_day on sale_return (branch_id, business_date);
create index sale_return_sale on sale_return (sale_id);

create table sale_return_item (
    id            bigserial primary key,
    return_id     bigint  not null references sale_return (id),
    sale_item_id  bigint  not null references sale_item (id),
    product_id    bigint  not null references product (id),
    quantity      integer not null check (quantity between 1 and 1000),
    unit_price    bigint  not null check (unit_price >= 0)
);
create index sale_return_item_return on sale_return_item (return_id);

-- Units a return brings back are movements of their own in the history the reports read.
alter table stock_movement drop constraint stock_movement_kind_check;
alter table stock_movement add constraint stock_movement_kind_check
    check (kind in ('SOLD', 'RESTOCKED', 'CORRECTED', 'RETURNED'));
