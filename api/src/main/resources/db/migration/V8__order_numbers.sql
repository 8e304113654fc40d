-- Order numbers a customer can be read out: PSN-<branch>-<yyyymmdd>-<nnn>, counted per branch and
-- business day. The counter row is taken with the order's insert, in its transaction, so two
-- orders of one branch never get the same number and a rolled-back order leaves at most a gap.
create table order_number (
    branch_id     bigint  not null references branch (id),
    business_date date    not null,
    last_number   integer not null,
    primary key (branch_id, business_date)
);
