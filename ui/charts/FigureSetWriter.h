#pragma once

#include "charts/FigureDataLoader.h"
#include "charts/FigureSet.h"
#include "util/Result.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <memory>
#include <vector>

class QStandardItemModel;

namespace anthology::ui {

struct FigureData;

// FigureSet's files one at a time, so the window can draw a figure per event-loop turn, show
// progress and stop between figures (drawing needs the GUI thread: the charts are widgets).
// The manifest is the last file; a stopped export leaves the figures written so far and no
// manifest, so a folder with a manifest.json is always complete.
class FigureSetWriter final
{
public:
    FigureSetWriter(std::shared_ptr<const FigureData> data, FigureRequest request, const QString &folder,
                    FigureSet::Options options);
    ~FigureSetWriter();
    FigureSetWriter(const FigureSetWriter &) = delete;
    FigureSetWriter &operator=(const FigureSetWriter &) = delete;

    // Files in all, the manifest included.
    int total() const { return int(m_steps.size()); }
    int written() const { return m_next; }
    bool atEnd() const { return m_next >= total(); }
    QString folder() const { return m_dir.absolutePath(); }
    // The next file's name, for progress text.
    QString nextName() const;

    // Writes the next file; an error leaves the writer where it was.
    Status writeNext();
    QJsonObject manifest() const;

private:
    struct Step
    {
        QString name;
        std::function<Status(const QString &path)> write;
    };
    void plan();
    void addEntry(const QString &file, const QString &kind, const QString &question = {}, qint64 run = 0);
    QString command() const;
    const QStandardItemModel &overviewTable(); // built once, for the CSV and the LaTeX file

    std::shared_ptr<const FigureData> m_data;
    FigureRequest m_request;
    QDir m_dir;
    FigureSet::Options m_options;
    QString m_ext;
    std::vector<Step> m_steps;
    int m_next = 0;
    std::unique_ptr<QStandardItemModel> m_overviewTable;
    QJsonArray m_files;
};

} // namespace anthology::ui
