package dev.relay.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * A PNG line chart of fan-out latency (p50 dashed, p99 solid) against connections, one colour per
 * system, from the runs whose load starts with a prefix. Headless Java2D: no plotting library.
 */
final class LatencyPlot {

  private static final int W = 900;
  private static final int H = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 200;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), Color.GRAY};

  private final Map<String, List<double[]>> series = new TreeMap<>();

  LatencyPlot(List<JsonNode> runs, String prefix) {
    for (JsonNode r : runs) {
      String[] label = ResultsReport.split(r.path("label").asText());
      JsonNode p50 = r.get("fanoutP50Ms");
      JsonNode p99 = r.get("fanoutP99Ms");
      if (label[0].startsWith(prefix) && p50 != null && p50.isNumber() && p99.isNumber()) {
        series
            .computeIfAbsent(label[1], k -> new ArrayList<>())
            .add(new double[] {r.path("connected").asDouble(), p50.asDouble(), p99.asDouble()});
      }
    }
    series.values().forEach(points -> points.sort((a, b) -> Double.compare(a[0], b[0])));
  }

  void write(Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double maxX = 1;
    double maxY = 1;
    for (List<double[]> points : series.values()) {
      for (double[] p : points) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[2]);
      }
    }
    maxX = niceCeil(maxX);
    maxY = niceCeil(maxY * 1.1);
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Fan-out latency (publish start → client receive) vs connections", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(LEFT, TOP, plotW, plotH);
    for (int i = 0; i <= 5; i++) {
      int x = LEFT + plotW * i / 5;
      int y = TOP + plotH - plotH * i / 5;
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 5), x - 15, TOP + plotH + 18);
      g.drawString(String.format(Locale.ROOT, "%.1f", maxY * i / 5), LEFT - 45, y + 4);
    }
    g.drawString("connections", LEFT + plotW / 2 - 30, H - 25);
    g.drawString("ms", 20, TOP + plotH / 2);
    int colour = 0;
    int legendY = TOP + 10;
    for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
      g.setColor(COLORS[colour++ % COLORS.length]);
      for (int column = 1; column <= 2; column++) {
        g.setStroke(column == 2 ? new BasicStroke(2.5f) : dashed());
        int[] xs = new int[entry.getValue().size()];
        int[] ys = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
          double[] p = entry.getValue().get(i);
          xs[i] = LEFT + (int) (plotW * p[0] / maxX);
          ys[i] = TOP + plotH - (int) (plotH * Math.min(p[column], maxY) / maxY);
          g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
        }
        g.drawPolyline(xs, ys, xs.length);
        g.drawLine(LEFT + plotW + 15, legendY, LEFT + plotW + 45, legendY);
        g.drawString(
            entry.getKey() + (column == 2 ? " p99" : " p50"), LEFT + plotW + 52, legendY + 4);
        legendY += 20;
      }
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static BasicStroke dashed() {
    return new BasicStroke(
        1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  private static double niceCeil(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
