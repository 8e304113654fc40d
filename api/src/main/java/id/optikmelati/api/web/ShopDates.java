package id.optikmelati.api.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/**
 * How the shop writes a date or a moment for people, in their language: "1 Desember 2026" for a
 * calendar date, "1 Des 2026, 14:05" in the shop's zone for a moment (printed receipts, slips, the Z
 * report, problem details).
 */
public final class ShopDates {

    private ShopDates() {}

    public static String date(LocalDate date, Locale locale) {
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).format(date);
    }

    public static String dateTime(Instant at, ZoneId zone, Locale locale) {
        return DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", locale).withZone(zone).format(at);
    }
}
