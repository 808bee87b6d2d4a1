#include "charts/ResultsTables.h"

#include "charts/FigureData.h"

#include <QStandardItemModel>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

constexpr int RawRole = Qt::UserRole + 1;

QStandardItem *text(const QString &value)
{
    auto *item = new QStandardItem(value);
    item->setEditable(false);
    return item;
}

QStandardItem *number(double value, int decimals = 4)
{
    auto *item = text(std::isfinite(value) ? QString::number(value, 'f', decimals) : u"-"_s);
    item->setData(value, RawRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QStandardItem *interval(const Interval &i)
{
    if (!std::isfinite(i.lower) || !std::isfinite(i.upper))
        return text(u"-"_s);
    auto *item = text(u"[%1, %2]"_s.arg(i.lower, 0, 'f', 4).arg(i.upper, 0, 'f', 4));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QStandardItem *count(qsizetype n)
{
    auto *item = text(QString::number(n));
    item->setData(double(n), RawRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

void appendTable(QStandardItemModel *model, const QString &group, const StudyTable &table)
{
    for (const StudyRow &r : table.rows)
        model->appendRow({text(group), text(r.label), number(r.emd.estimate), interval(r.emd),
                          number(r.totalVariation.estimate), interval(r.totalVariation), number(r.representativeness),
                          number(r.cbs), number(r.frobenius), number(r.alpha), number(r.compliance, 3), count(r.n)});
}

} // namespace

QStandardItemModel *ResultsTables::overview(const FigureData &data, QObject *parent)
{
    auto *model = new QStandardItemModel(parent);
    model->setHorizontalHeaderLabels({QObject::tr("Group"), QObject::tr("Run"), QObject::tr("Mean EMD"),
                                      QObject::tr("EMD 95% CI"), QObject::tr("Mean TV"), QObject::tr("TV 95% CI"),
                                      QObject::tr("Representativeness"), QObject::tr("CBS"),
                                      QObject::tr("Frobenius"), QObject::tr("Cronbach's \u03b1"),
                                      QObject::tr("Compliance"), QObject::tr("n")});
    appendTable(model, QObject::tr("All"), data.study.overall);
    for (const StudyTable &t : data.study.subgroups)
        appendTable(model, t.group, t);
    return model;
}

QStandardItemModel *ResultsTables::subgroups(const FigureData &data, qsizetype question, QObject *parent)
{
    auto *model = new QStandardItemModel(parent);
    QStringList header{QObject::tr("Group"), QObject::tr("Respondents")};
    for (const FigureRun &run : data.runs)
        header << QObject::tr("%1 personas").arg(run.label) << QObject::tr("%1 EMD").arg(run.label)
               << QObject::tr("%1 TV").arg(run.label);
    model->setHorizontalHeaderLabels(header);
    if (question < 0 || question >= data.study.questions.size())
        return model;
    const auto append = [&](const QString &label, const StudyTable &table) {
        QList<QStandardItem *> row{text(label), count(table.humanRows)};
        for (const StudyRow *r : data.runRows(table)) {
            if (!r || !r->report) {
                row << text(u"-"_s) << text(u"-"_s) << text(u"-"_s);
                continue;
            }
            const QuestionMetrics &m = r->report->questions[question];
            row << count(r->n) << number(m.emd) << number(m.totalVariation);
        }
        model->appendRow(row);
    };
    append(QObject::tr("All"), data.study.overall);
    for (const StudyTable &t : data.study.subgroups)
        append(t.group, t);
    return model;
}

} // namespace anthology::ui
