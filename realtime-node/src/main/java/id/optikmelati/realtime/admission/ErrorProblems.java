package id.optikmelati.realtime.admission;

import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * WebFlux's own refusals (no such path, a method other than GET, a parameter that does not bind)
 * as the node's problem+json, not Spring Boot's error JSON. Anything else goes on to the default
 * handler, which logs it.
 */
@Component
@Order(-2) // before Spring Boot's error handler (-1)
class ErrorProblems implements WebExceptionHandler {

    private final RefusalProblems problems;

    ErrorProblems(RefusalProblems problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (!(ex instanceof ResponseStatusException status) || exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        int code = status.getStatusCode().value();
        Refusal refusal = code == 404 ? Refusal.NOT_FOUND : code == 405 ? Refusal.METHOD_NOT_ALLOWED
                : code == 400 ? Refusal.BAD_REQUEST : null;
        if (refusal == null) {
            return Mono.error(ex);
        }
        var request = exchange.getRequest();
        byte[] body = problems.body(refusal, null, RefusalProblems.languages(request.getHeaders()),
                request.getPath().value());
        var response = exchange.getResponse();
        response.setStatusCode(refusal.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
