package id.optikmelati.realtime.broker;

import id.optikmelati.contract.ShopEvent;

/** The in-memory broker keeps the contract the delivery path's unit tests rely on. */
class InMemoryEventBrokerTest extends EventBrokerContract {

    @Override
    Store store() {
        InMemoryEventBroker broker = new InMemoryEventBroker();
        return new Store() {
            @Override
            public EventBroker broker() {
                return broker;
            }

            @Override
            public void addBranch(long branchId, String name) {
                broker.addBranch(branchId, name);
            }

            @Override
            public void publish(ShopEvent event) {
                broker.publish(event);
            }

            @Override
            public void record(ShopEvent event) {
                broker.record(event);
            }

            @Override
            public void putSnapshot(EventBroker.BranchSnapshot snapshot) {
                broker.putSnapshot(snapshot);
            }

            @Override
            public void trimBefore(long branchId, long firstKeptSeq) {
                broker.trimBefore(branchId, firstKeptSeq);
            }

            @Override
            public void close() {
            }
        };
    }
}
