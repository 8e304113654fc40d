package id.optikmelati.api.report;

import java.lang.reflect.RecordComponent;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * Records as CSV (RFC 4180) the way the reader's spreadsheet opens it by a double click: a UTF-8 BOM
 * (or Excel reads it as ANSI), and in Indonesian the separator {@code ;} and decimal commas, as
 * Excel expects them on an Indonesian Windows ({@code ,} and points in English); headers in the
 * reader's language ({@code csv.<column>} in the message bundle), yes and no in words.
 */
final class Csv {

    static final char BOM = '\uFEFF';

    private final MessageSource messages;

    Csv(MessageSource messages) {
        this.messages = messages;
    }

    static char separator(Locale locale) {
        return "id".equals(locale.getLanguage()) || "in".equals(locale.getLanguage()) ? ';' : ',';
    }

    String of(List<? extends Record> rows, Locale locale) {
        char sep = separator(locale);
        DecimalFormat decimal = new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(locale));
        StringBuilder out = new StringBuilder().append(BOM);
        if (rows.isEmpty()) {
            return out.toString();
        }
        RecordComponent[] columns = rows.get(0).getClass().getRecordComponents();
        for (int i = 0; i < columns.length; i++) {
            String name = columns[i].getName();
            out.append(i == 0 ? "" : String.valueOf(sep)).append(cell(messages.getMessage("csv." + name, null, name,
                    locale), sep));
        }
        out.append("\r\n");
        for (Record row : rows) {
            for (int i = 0; i < columns.length; i++) {
                Object value;
                try {
                    value = columns[i].getAccessor().invoke(row);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                // numbers as they are (a negative one is no formula), decimals in the reader's notation
                String shown = value instanceof Double || value instanceof Float ? decimal.format(value)
                        : value instanceof Number n ? n.toString()
                        : value instanceof Boolean b ? messages.getMessage(b ? "csv.yes" : "csv.no", null, locale)
                        : cell(value, sep);
                out.append(i == 0 ? "" : String.valueOf(sep)).append(shown);
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** Quoted when needed; a leading =, +, - or @ is neutralised so a spreadsheet does not run it as a formula. */
    static String cell(Object value, char sep) {
        String s = value == null ? "" : value.toString();
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(sep) >= 0 || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
