package id.optikmelati.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.List;

/**
 * A shop day: cashiers across the branches sell at a steady rate while screens hold the dashboard
 * stream of their branch; every screen must receive a stock event of its own branch.
 *
 * <p>-Dcashiers (6) -Dscreens (30) -Dsales.per.minute (12 per cashier) -Dduration (60 s)
 * -Dbase.url / -Drealtime.url (a deployed cluster; none: a local one) -Dpassword (melati-demo)
 */
public class ShopDaySimulation extends Simulation {

    final Target target = Target.get();
    final List<Accounts.Session> accounts = Accounts.sessions(target.baseUrl);
    final int cashiers = Target.intProp("cashiers", 6);
    final int screens = Target.intProp("screens", 30);
    final int salesPerMinute = Target.intProp("sales.per.minute", 12);
    final Duration duration = Duration.ofSeconds(Target.intProp("duration", 60));

    final HttpProtocolBuilder protocol = http.baseUrl(target.baseUrl).acceptHeader("application/json")
            .contentTypeHeader("application/json").shareConnections();

    final ScenarioBuilder selling = scenario("Cashiers")
            .feed(Shop.accounts(accounts))
            .exec(Shop.products())
            .during(duration).on(Shop.sale().pace(Duration.ofMillis(60_000L / salesPerMinute)));

    final ScenarioBuilder watching = scenario("Screens")
            .feed(Shop.accounts(accounts))
            .exec(sse("dashboard").get(target.realtimeUrl + "/realtime/dashboard")
                    .header("Authorization", "Bearer #{token}")
                    .await(Duration.ofSeconds(30)).on(sse.checkMessage("a stock event of my branch")
                            .matching(regex("\"event\":\"stock\""))
                            .check(regex("branch_id\\\\?\":(\\d+)").is(session -> String.valueOf(session.getLong("branchId"))))))
            .pause(duration)
            .exec(sse("dashboard").close());

    {
        Accounts.requireRoomFor(screens, accounts);
        setUp(
                selling.injectOpen(rampUsers(cashiers).during(Duration.ofSeconds(5))),
                watching.injectOpen(rampUsers(screens).during(Duration.ofSeconds(5))))
                .protocols(protocol)
                .assertions(
                        global().failedRequests().percent().lt(1.0),
                        details("sale").responseTime().percentile(99.0).lt(2000),
                        // (the logins happen before the load, in Accounts, and stop the run if one fails)
                        details("products").failedRequests().count().is(0L));
    }
}
