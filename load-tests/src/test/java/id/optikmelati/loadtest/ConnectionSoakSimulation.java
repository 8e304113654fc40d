package id.optikmelati.loadtest;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Ramps up to many connections on the realtime nodes, holds them, and checks that after the hold
 * every one of them still receives events.
 *
 * <p>-Dconnections (1000) -Dramp (30 s) -Dhold (60 s) -Dbase.url / -Drealtime.url
 */
public class ConnectionSoakSimulation extends Simulation {

    final Target target = Target.get();
    final List<Accounts.Session> accounts = Accounts.sessions(target.baseUrl);
    final int connections = Target.intProp("connections", 1000);
    final Duration ramp = Duration.ofSeconds(Target.intProp("ramp", 30));
    final Duration hold = Duration.ofSeconds(Target.intProp("hold", 60));
    final HttpProtocolBuilder protocol = http.baseUrl(target.baseUrl).acceptHeader("application/json")
            .contentTypeHeader("application/json").shareConnections();

    final ScenarioBuilder screen = scenario("Screens")
            .feed(Shop.accounts(accounts))
            .exec(sse("stream").get(target.realtimeUrl + "/realtime/stock-updates")
                    .header("Authorization", "Bearer #{token}"))
            .pause(ramp.plus(hold))
            .exec(sse("stream").setCheck().await(Duration.ofSeconds(30)).on(
                    sse.checkMessage("still receiving after the hold").check(regex("\"event\":\"stock\""))))
            .exec(sse("stream").close());

    final ScenarioBuilder cashier = scenario("Cashiers")
            .feed(Shop.accounts(accounts))
            .exec(Shop.products())
            .during(Duration.ofSeconds(15)).on(Shop.sale().pause(Duration.ofMillis(300)));

    {
        Accounts.requireRoomFor(connections, accounts);
        setUp(screen.injectOpen(rampUsers(connections).during(ramp)),
                cashier.injectOpen(nothingFor(ramp.plus(hold).minusSeconds(1)), atOnceUsers(3)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }
}
