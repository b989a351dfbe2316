package dev.cliplab.orchestrator.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of text printed in columns as wide as their widest cell, the last one left ragged. */
final class TextTable {

  private final List<List<String>> rows = new ArrayList<>();

  /** Starts a table with its header row. */
  TextTable(String... header) {
    rows.add(List.of(header));
  }

  /** Adds a row; a null cell prints as empty. */
  TextTable add(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null ? "" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  void print(PrintWriter out) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        line.append(i == columns - 1 ? cell : cell + " ".repeat(widths[i] - cell.length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }
}
