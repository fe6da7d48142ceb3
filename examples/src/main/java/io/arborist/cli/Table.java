package io.arborist.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text tables with aligned columns. */
final class Table {
    private Table() {
    }

    static void print(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(String.format("%-" + width[i] + "s", rows.get(r)[i]));
                if (i + 1 < columns) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    rule.append("-".repeat(width[i])).append(i + 1 < columns ? "  " : "");
                }
                out.println(rule);
            }
        }
    }
}
