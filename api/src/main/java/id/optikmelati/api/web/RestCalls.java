package id.optikmelati.api.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests are REST calls rather than pages: the API and its OpenAPI description. A REST call
 * gets its refusals as problem+json in the language of its Accept-Language header; a page gets a
 * redirect or an error page in the language its user chose.
 */
public final class RestCalls {

    private RestCalls() {
    }

    public static boolean is(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.startsWith("/api/") || uri.startsWith("/v3/api-docs");
    }
}
