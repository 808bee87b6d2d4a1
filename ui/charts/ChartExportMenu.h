#pragma once

#include <QObject>

#include <functional>

class QCustomPlot;
class QMenu;

namespace anthology::ui {

// The export actions of one chart: a context menu (export as PDF, SVG or PNG at a chosen DPI,
// copy as image); the host binds Ctrl+Shift+E to exportFigure() of the chart in view. `name`
// suggests a file name from what the chart shows.
class ChartExportMenu final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartExportMenu)

public:
    ChartExportMenu(QCustomPlot *plot, std::function<QString()> name);

    // Asks for a file (its suffix picks the format) and, for PNG, the resolution.
    void exportFigure();
    void copyImage();

Q_SIGNALS:
    void exported(const QString &path, bool ok, const QString &error);

private:
    void showMenu(const QPoint &pos);

    QCustomPlot *m_plot;
    std::function<QString()> m_name;
};

} // namespace anthology::ui
