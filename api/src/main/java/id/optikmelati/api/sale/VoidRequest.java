package id.optikmelati.api.sale;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A whole sale taken back (what is left of it), and why. */
public record VoidRequest(@NotBlank @Size(max = 200) String reason) {}
