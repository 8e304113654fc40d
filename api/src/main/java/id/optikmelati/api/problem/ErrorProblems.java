package id.optikmelati.api.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Errors the MVC handlers never see, as the same problem+json: the error page's answer to anything
 * but a browser page, a path Spring Security's firewall rejects ({@code ..;}, an encoded slash),
 * and what Tomcat refuses before any application code runs (a request line that is not HTTP,
 * headers over the limit, an encoded slash). A page still gets the HTML error page.
 */
@Configuration
class ErrorProblems {

    /** The error page (/error) answers REST and actuator callers with problem+json, not Spring Boot's error map. */
    @Bean
    BasicErrorController errorController(ErrorAttributes attributes, ObjectProvider<ErrorViewResolver> views,
            ProblemWriter problems) {
        return new BasicErrorController(attributes, new ErrorProperties(), views.orderedStream().toList()) {
            @Override
            public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
                int status = getStatus(request).value();
                HttpServletRequest original = new jakarta.servlet.http.HttpServletRequestWrapper(request) {
                    @Override
                    public String getRequestURI() {
                        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
                        return uri == null ? super.getRequestURI() : uri.toString();
                    }
                };
                return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(problems.body(original, status, ProblemHandler.codeFor(status), ""));
            }
        };
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler(ProblemWriter problems) {
        return (request, response, rejected) -> problems.write(request, response, 400, "bad-path");
    }

    /** Tomcat's own error report, replaced on the host before it starts (it adds its HTML one otherwise). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatErrorReport(ObjectProvider<ProblemWriter> problems) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(Report.class.getName());
                host.getPipeline().addValve(new Report(problems));
            }
        });
    }

    /** Writes problem+json where Tomcat would write its HTML error page. */
    static final class Report extends ErrorReportValve {

        private final ObjectProvider<ProblemWriter> problems;

        Report(ObjectProvider<ProblemWriter> problems) {
            this.problems = problems;
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            try {
                byte[] body = problems.getObject().bytes(request, status, ProblemHandler.codeFor(status), "");
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                response.finishResponse();
            } catch (IOException | RuntimeException e) {
                // the client went, or the response cannot take a body any more: nothing else to say
            }
        }
    }
}
