package id.optikmelati.api.report;

import java.lang.reflect.RecordComponent;
import java.util.List;

/** Records as CSV (RFC 4180): a header of the component names, one line per record. */
final class Csv {

    private Csv() {}

    static String of(List<? extends Record> rows) {
        StringBuilder out = new StringBuilder();
        if (rows.isEmpty()) {
            return "";
        }
        RecordComponent[] columns = rows.get(0).getClass().getRecordComponents();
        for (int i = 0; i < columns.length; i++) {
            out.append(i == 0 ? "" : ",").append(columns[i].getName());
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
                out.append(i == 0 ? "" : ",").append(cell(value));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** Quoted when needed; a leading =, +, - or @ is neutralised so a spreadsheet does not run it as a formula. */
    static String cell(Object value) {
        String s = value == null ? "" : value.toString();
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !(value instanceof Number)) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
