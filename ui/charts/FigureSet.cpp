#include "charts/FigureSet.h"

#include "charts/DistributionChart.h"
#include "charts/FigureData.h"
#include "charts/FigureDataLoader.h"
#include "charts/HeatmapChart.h"
#include "charts/OverviewChart.h"
#include "charts/ResultsTables.h"
#include "charts/SubgroupChart.h"
#include "charts/TableExport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardItemModel>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

Status writeBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::user(u"cannot write: "_s + file.errorString()).withFile(path);
    return {};
}

class Manifest
{
public:
    Manifest(const FigureData &data, const FigureRequest &request, const QString &format, const QString &folder)
        : m_data(data), m_request(request), m_format(format), m_folder(folder)
    {
    }

    void add(const QString &file, const QString &kind, const QString &question = {}, qint64 run = 0)
    {
        QJsonArray runs;
        for (const FigureRun &r : m_data.runs)
            if (run == 0 || r.runId == run)
                runs.append(QJsonObject{{u"id"_s, double(r.runId)}, {u"label"_s, r.label}});
        QJsonObject entry{{u"file"_s, file},
                          {u"kind"_s, kind},
                          {u"runs"_s, runs},
                          {u"dataset"_s, m_data.dataset},
                          {u"subgroup"_s, m_request.options.subgroupVariable},
                          {u"metric"_s, StudyReport::metricName(m_data.study.metric)},
                          {u"command"_s, command()}};
        if (!question.isEmpty())
            entry.insert(u"question"_s, question);
        m_files.append(entry);
    }

    QJsonObject json() const
    {
        return QJsonObject{{u"dataset"_s, m_data.dataset},
                           {u"subgroup"_s, m_request.options.subgroupVariable},
                           {u"metric"_s, StudyReport::metricName(m_data.study.metric)},
                           {u"format"_s, m_format},
                           {u"command"_s, command()},
                           {u"files"_s, m_files}};
    }

private:
    QString command() const
    {
        QStringList quoted;
        for (const QString &a : m_request.commandLine(m_format, m_folder))
            quoted.append(a.contains(u' ') ? u"'"_s + a + u"'"_s : a);
        return quoted.join(u' ');
    }

    const FigureData &m_data;
    const FigureRequest &m_request;
    QString m_format;
    QString m_folder;
    QJsonArray m_files;
};

} // namespace

QString FigureSet::slug(const QString &text)
{
    QString out;
    for (QChar c : text)
        out += (c.isLetterOrNumber() || c == u'-' || c == u'_') ? c : u'_';
    return out.isEmpty() ? u"_"_s : out;
}

Result<QJsonObject> FigureSet::write(const FigureData &data, const FigureRequest &request, const QString &folder,
                                     const Options &options)
{
    if (!QDir().mkpath(folder))
        return Error::user(u"cannot create the folder"_s).withFile(folder);
    const QDir dir(folder);
    const QString ext = FigureExporter::extension(options.format);
    Manifest manifest(data, request, ext, QDir(folder).absolutePath());
    const auto save = [&](QCustomPlot *plot, const QString &name, QSize size = {}) -> Status {
        return FigureExporter::save(plot, dir.filePath(name), options.format, size.isValid() ? size : options.size,
                                    options.dpi);
    };

    {
        OverviewChart chart;
        chart.showStudy(data);
        const QString name = u"overview."_s + ext;
        // One row per run: a short study gets a short figure, not stretched dots.
        const int height = std::min(options.size.height(), 190 + 55 * int(data.runs.size() + 1));
        if (Status st = save(&chart, name, QSize(options.size.width(), height)); !st)
            return st.error();
        manifest.add(name, u"overview"_s);
    }
    DistributionChart question;
    SubgroupChart groups;
    for (qsizetype q = 0; q < data.study.questions.size(); ++q) {
        const QString id = data.study.questions[q].id;
        question.showQuestion(data, q);
        QString name = u"question-%1.%2"_s.arg(slug(id), ext);
        if (Status st = save(&question, name); !st)
            return st.error();
        manifest.add(name, u"question"_s, id);
        if (data.study.subgroups.isEmpty())
            continue;
        groups.showQuestion(data, q);
        name = u"subgroups-%1.%2"_s.arg(slug(id), ext);
        if (Status st = save(&groups, name); !st)
            return st.error();
        manifest.add(name, u"subgroups"_s, id);
    }
    HeatmapChart heatmap;
    for (qsizetype r = 0; r < data.runs.size(); ++r) {
        heatmap.showRun(data, r);
        const QString name = u"correlations-run%1.%2"_s.arg(data.runs[r].runId).arg(ext);
        if (Status st = save(&heatmap, name); !st)
            return st.error();
        manifest.add(name, u"correlations"_s, {}, data.runs[r].runId);
    }
    QStandardItemModel *table = ResultsTables::overview(data, nullptr);
    const std::unique_ptr<QStandardItemModel> owner(table);
    if (Status st = writeBytes(dir.filePath(u"overview.csv"_s), TableExport::csv(*table)); !st)
        return st.error();
    manifest.add(u"overview.csv"_s, u"table"_s);
    const QString caption = QObject::tr("Runs against the humans of %1, sorted by mean %2.")
                                .arg(data.dataset, StudyReport::metricName(data.study.metric).toUpper());
    if (Status st = writeBytes(dir.filePath(u"overview.tex"_s), TableExport::latex(*table, caption).toUtf8()); !st)
        return st.error();
    manifest.add(u"overview.tex"_s, u"table"_s);
    const QJsonObject json = manifest.json();
    if (Status st = writeBytes(dir.filePath(u"manifest.json"_s), QJsonDocument(json).toJson()); !st)
        return st.error();
    return json;
}

} // namespace anthology::ui
