package id.optikmelati.realtime.admission;

/**
 * What admission reads from a stream's request, taken from the HTTP request once.
 *
 * @param name the stream's name, {@code /realtime/<name>}, decoded
 * @param branch {@code ?branch=}, a super admin's choice of one branch; null for all of theirs
 * @param authorization the Authorization header, or null
 * @param tokenCookie the access token's cookie, or null
 * @param clientIp the client's address (behind a balancer, as the forwarded headers give it)
 * @param acceptLanguage the Accept-Language header, or null
 * @param path the request's path as sent, for a refusal's {@code instance}
 */
public record StreamRequest(String name, String branch, String authorization, String tokenCookie, String clientIp,
        String acceptLanguage, String path) {}
