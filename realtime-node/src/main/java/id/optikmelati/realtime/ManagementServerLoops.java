package id.optikmelati.realtime;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * The management port's server (health, Prometheus) runs on the node's own event loops, on the
 * configured transport: left alone it would take Reactor's JVM-wide ones, which pick io_uring
 * whenever its library is on the classpath, and which a second node in the same JVM would share.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementServerLoops {

    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> managementOnTheNodesLoops(EventLoops loops) {
        return factory -> factory.addServerCustomizers(server -> server.runOn(loops));
    }
}
