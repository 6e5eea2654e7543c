package com.example.payments.security;

import com.example.payments.api.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code 401} and {@code 403} with problem details, like every other error of the API. These are
 * written by the security filters, before Spring MVC and its exception handlers are reached.
 */
@Component
public class SecurityProblemWriter implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper jsonMapper;

    /**
     * Creates the writer.
     * @param jsonMapper the application's JSON mapper
     */
    public SecurityProblemWriter(JsonMapper jsonMapper) {
        // The mix-in writes a problem's extra properties at the top level, as Spring MVC's converter does.
        this.jsonMapper = jsonMapper
                .rebuild()
                .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
                .build();
    }

    @Override
    public void commence(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException authException)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"payments\"");
        write(
                request,
                response,
                Problems.create(
                        HttpStatus.UNAUTHORIZED,
                        Problems.UNAUTHORIZED,
                        "Unauthorized",
                        "Send the credentials of a user with HTTP Basic authentication."));
    }

    @Override
    public void handle(
            HttpServletRequest request, HttpServletResponse response, AccessDeniedException accessDeniedException)
            throws IOException {
        write(
                request,
                response,
                Problems.create(HttpStatus.FORBIDDEN, Problems.FORBIDDEN, "Forbidden", "This user may not do this."));
    }

    /**
     * Writes a problem as the answer to a request that filters refused before Spring MVC.
     * @param request the request
     * @param response its response
     * @param problem the problem, whose status the response takes
     * @throws IOException if the response cannot be written
     */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        this.jsonMapper.writeValue(response.getOutputStream(), problem);
    }
}
