// qcustomplot.h uses the foreach keyword, which the project switches off (QT_NO_FOREACH) for
// its own code: this file reads that header first, with the keyword on.
#undef QT_NO_FOREACH
#include <qcustomplot.h>

#include "DataSetsPanel.h"

#include "ProjectSession.h"
#include "analysis/VariableDescription.h"
#include "analysis/DatasetDescription.h"
#include "backstories/BackstoryStore.h"
#include "data/DatasetStore.h"
#include "data/QuestionnaireFromDataset.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStackedLayout>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

// Okabe-Ito blue: the colour human data has in every chart of the workbench.
const QColor kHumanColour(0x00, 0x72, 0xB2);
constexpr double kZ95 = 1.96;

QTableWidget *makeTable(QWidget *parent, const char *name, const QStringList &headers)
{
    auto *t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(QString::fromLatin1(name));
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *cell(const QString &text, bool number = false)
{
    auto *item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString percent(double share)
{
    return std::isfinite(share) ? QString::number(share * 100.0, 'f', 2) : u"–"_s;
}

QString code(double value)
{
    return QString::number(value, 'g', 15);
}

// Option labels wrapped at word boundaries so long answer texts fit beside the bars.
QString wrapped(const QString &label, int width = 30)
{
    QStringList lines{QString()};
    for (const QString &word : label.split(u' ', Qt::SkipEmptyParts)) {
        if (!lines.last().isEmpty() && lines.last().size() + 1 + word.size() > width)
            lines.append(QString());
        lines.last() += (lines.last().isEmpty() ? QString() : u" "_s) + word;
    }
    return lines.join(u'\n');
}

} // namespace

DataSetsPanel::DataSetsPanel(QWidget *parent)
    : QWidget(parent),
      m_sets(makeTable(this, "datasetTable",
                       {tr("Data set"), tr("Respondents"), tr("Variables"), tr("Wave"), tr("Weight")})),
      m_variables(
          makeTable(this, "variableTable", {tr("Variable"), tr("Label"), tr("Codes"), tr("Missing")})),
      m_title(new QLabel(this)), m_summary(new QLabel(this)),
      m_valueLabels(makeTable(this, "valueLabelTable", {tr("Code"), tr("Value label"), tr("Missing")})),
      m_shares(makeTable(this, "shareTable",
                         {tr("Code"), tr("Answer"), tr("Count"), tr("Weighted %"), tr("SE %")})),
      m_plot(new QCustomPlot(this)), m_make(new QPushButton(tr("&Make Questionnaire…"), this)),
      m_empty(new QLabel(this))
{
    m_variables->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_variables->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_variables->horizontalHeader()->setStretchLastSection(false);
    m_shares->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_shares->horizontalHeader()->setStretchLastSection(false);
    m_valueLabels->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_valueLabels->horizontalHeader()->setStretchLastSection(false);
    m_title->setObjectName(u"variableTitle"_s);
    m_title->setTextFormat(Qt::RichText);
    m_title->setWordWrap(true);
    m_summary->setObjectName(u"variableSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_plot->setObjectName(u"shareChart"_s);
    m_plot->setMinimumHeight(220);
    m_make->setObjectName(u"makeQuestionnaireButton"_s);
    m_make->setToolTip(tr("Write the selected variables as a questionnaire YAML (question text from the "
                          "variable label, choices from the value labels of codes 1..K)"));
    m_empty->setObjectName(u"datasetsEmptyLabel"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setText(tr("<p><b>No data sets yet</b></p><p>Import survey data (SPSS .sav, .zsav, .por or "
                        "Stata .dta) with File &gt; Import (Ctrl+I),<br>or from a terminal with "
                        "<code>anthology data import FILE</code>.</p>"));

    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_sets);
    auto *variablesBox = new QWidget(this);
    auto *variablesLayout = new QVBoxLayout(variablesBox);
    variablesLayout->setContentsMargins(0, 0, 0, 0);
    variablesLayout->addWidget(m_variables, 1);
    auto *makeRow = new QHBoxLayout;
    makeRow->addStretch(1);
    makeRow->addWidget(m_make);
    variablesLayout->addLayout(makeRow);
    left->addWidget(variablesBox);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 4);

    auto *tables = new QSplitter(Qt::Horizontal, this);
    tables->addWidget(m_shares);
    tables->addWidget(m_valueLabels);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_title);
    rightLayout->addWidget(m_summary);
    auto *rightSplit = new QSplitter(Qt::Vertical, right);
    rightSplit->addWidget(m_plot);
    rightSplit->addWidget(tables);
    rightSplit->setStretchFactor(0, 3);
    rightSplit->setStretchFactor(1, 2);
    rightLayout->addWidget(rightSplit, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"datasetsSplitter"_s);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({560, 1000});

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(split);
    auto *stack = new QStackedLayout(this);
    stack->addWidget(m_empty);
    stack->addWidget(content);

    m_plot->xAxis->setLabel(tr("Weighted share, % (whiskers: ±1.96 SE)"));
    m_plot->yAxis->setTickLength(0, 0);
    m_plot->yAxis->setSubTicks(false);

    connect(m_sets, &QTableWidget::currentCellChanged, this, [this](int row, int, int previous, int) {
        if (row != previous)
            showDataset();
    });
    connect(m_variables, &QTableWidget::currentCellChanged, this, [this](int row, int, int previous, int) {
        if (row != previous)
            showVariable();
    });
    connect(m_variables, &QTableWidget::itemSelectionChanged, this, &DataSetsPanel::updateButtons);
    connect(m_make, &QPushButton::clicked, this, &DataSetsPanel::makeQuestionnaire);
    setSession(nullptr);
}

void DataSetsPanel::setSession(ProjectSession *session)
{
    m_session = session;
    reload();
}

void DataSetsPanel::reload()
{
    const QString keep = currentDataset();
    const QList<DatasetInfo> sets =
        m_session ? DatasetStore(m_session->readerStore().project()).list() : QList<DatasetInfo>();
    auto *stack = static_cast<QStackedLayout *>(layout());
    stack->setCurrentIndex(sets.isEmpty() ? 0 : 1);
    const QSignalBlocker block(m_sets);
    m_sets->setRowCount(int(sets.size()));
    const QLocale locale;
    for (int i = 0; i < sets.size(); ++i) {
        const DatasetInfo &info = sets[i];
        m_sets->setItem(i, 0, cell(info.name));
        m_sets->item(i, 0)->setToolTip(info.sourcePath);
        m_sets->setItem(i, 1, cell(locale.toString(info.rowCount), true));
        m_sets->setItem(i, 2, cell(locale.toString(info.variableCount), true));
        m_sets->setItem(i, 3, cell(info.wave > 0 ? QString::number(info.wave) : u"–"_s, true));
        m_sets->setItem(i, 4, cell(info.weightVariable.isEmpty() ? tr("none") : info.weightVariable));
    }
    int row = 0;
    for (int i = 0; i < sets.size(); ++i)
        if (sets[i].name == keep)
            row = i;
    if (!sets.isEmpty())
        m_sets->setCurrentCell(row, 0);
    showDataset();
}

QString DataSetsPanel::currentDataset() const
{
    const int row = m_sets->currentRow();
    return row >= 0 && m_sets->item(row, 0) ? m_sets->item(row, 0)->text() : QString();
}

bool DataSetsPanel::selectDataset(const QString &name)
{
    const auto found = m_sets->findItems(name, Qt::MatchFixedString);
    if (found.isEmpty())
        return false;
    m_sets->setCurrentCell(found.first()->row(), 0);
    return true;
}

bool DataSetsPanel::selectVariables(const QStringList &names)
{
    QList<int> rows;
    for (const QString &name : names) {
        const auto found = m_variables->findItems(name, Qt::MatchFixedString);
        if (found.isEmpty() || found.first()->column() != 0)
            return false;
        rows.append(found.first()->row());
    }
    m_variables->clearSelection();
    if (rows.isEmpty())
        return true;
    m_variables->setCurrentCell(rows.first(), 0,
                                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    for (int row : std::as_const(rows).mid(1))
        m_variables->selectionModel()->select(m_variables->model()->index(row, 0),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
    return true;
}

QStringList DataSetsPanel::selectedVariables() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_variables->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QStringList names;
    for (int row : rows)
        names.append(m_variables->item(row, 0)->text());
    return names;
}

void DataSetsPanel::showDataset()
{
    const QSignalBlocker block(m_variables);
    m_variables->setRowCount(0);
    const QString name = currentDataset();
    if (!m_session || name.isEmpty()) {
        showVariable();
        return;
    }
    auto variables = DatasetStore(m_session->readerStore().project()).variables(name);
    if (!variables) {
        Q_EMIT message(tr("Could not read data set %1: %2").arg(name, variables.error().toString()), true);
        showVariable();
        return;
    }
    m_variables->setRowCount(int(variables->size()));
    for (int i = 0; i < variables->size(); ++i) {
        const Variable &v = variables->at(i);
        QStringList missing;
        for (double m : v.missingValues)
            missing.append(code(m));
        for (const auto &[low, high] : v.missingRanges)
            missing.append(u"%1–%2"_s.arg(code(low), code(high)));
        missing += v.missingStrings;
        m_variables->setItem(i, 0, cell(v.name));
        m_variables->setItem(i, 1, cell(QuestionnaireFromDataset::stripNamePrefix(v.name, v.label)));
        m_variables->item(i, 1)->setToolTip(v.label);
        m_variables->setItem(i, 2,
                             cell(v.isNumeric() ? QString::number(v.valueLabels.size()) : tr("text"), true));
        m_variables->setItem(i, 3, cell(missing.join(u", "_s)));
    }
    // Open on the first variable that reads as a question (labelled codes), not on the key.
    int first = variables->isEmpty() ? -1 : 0;
    for (int i = 0; i < variables->size(); ++i)
        if (variables->at(i).isNumeric() && variables->at(i).hasValueLabels()) {
            first = i;
            break;
        }
    if (first >= 0)
        m_variables->setCurrentCell(first, 0);
    showVariable();
    updateButtons();
}

void DataSetsPanel::showVariable()
{
    const int row = m_variables->currentRow();
    const QString dataset = currentDataset();
    const QString name =
        row >= 0 && m_variables->item(row, 0) ? m_variables->item(row, 0)->text() : QString();
    m_shares->setRowCount(0);
    m_valueLabels->setRowCount(0);
    m_plot->clearPlottables();
    m_plot->replot();
    if (!m_session || name.isEmpty()) {
        m_title->setText(dataset.isEmpty() ? QString() : tr("<i>Select a variable to see its answers.</i>"));
        m_summary->clear();
        return;
    }
    // The variables table's second column holds the label as the title shows it.
    m_title->setText(u"<b>%1</b> &nbsp; %2"_s.arg(name.toHtmlEscaped(),
                                                  m_variables->item(row, 1)->text().toHtmlEscaped()));
    // The same numbers as `anthology data describe DATASET VAR`.
    auto described = DatasetDescription::compute(m_session->readerStore().project(), dataset, {name});
    if (!described) {
        m_summary->setText(described.error().message);
        return;
    }
    showDescription(described->variables.first());
}

void DataSetsPanel::showDescription(const VariableDescription &d)
{
    const Variable &v = d.variable;
    const QLocale locale;
    QString summary = tr("Weight: %1 · valid %2, missing %3 · n (sum of weights) %4 · n_eff (Kish) %5")
                          .arg(d.weightVariable.isEmpty() ? tr("none (unweighted)") : d.weightVariable)
                          .arg(locale.toString(d.distribution.validCount))
                          .arg(locale.toString(d.missing))
                          .arg(QString::number(d.distribution.sumWeights, 'f', 2))
                          .arg(QString::number(d.distribution.effectiveSize, 'f', 1));
    if (!d.note.isEmpty())
        summary += u"\n"_s + tr("Note: %1").arg(d.note);
    m_summary->setText(summary);

    m_valueLabels->setRowCount(int(v.valueLabels.size()));
    for (int i = 0; i < v.valueLabels.size(); ++i) {
        const ValueLabel &l = v.valueLabels[i];
        const bool missing = v.isNumeric() ? v.isUserMissing(l.value) : v.isUserMissing(l.stringValue);
        m_valueLabels->setItem(i, 0, cell(v.isNumeric() ? code(l.value) : l.stringValue, true));
        m_valueLabels->setItem(i, 1, cell(l.label));
        m_valueLabels->setItem(i, 2, cell(missing ? tr("user-missing") : QString()));
    }
    m_shares->setRowCount(d.categoryCount());
    for (int i = 0; i < d.categoryCount(); ++i) {
        const CategoryShare &c = d.categories[i];
        m_shares->setItem(i, 0, cell(QString::number(c.code), true));
        m_shares->setItem(i, 1, cell(c.label));
        m_shares->setItem(i, 2, cell(locale.toString(c.count), true));
        m_shares->setItem(i, 3, cell(percent(c.share), true));
        m_shares->setItem(i, 4, cell(percent(c.standardError), true));
    }
    plotShares(d);
}

void DataSetsPanel::plotShares(const VariableDescription &d)
{
    m_plot->clearPlottables();
    const int k = d.categoryCount();
    m_plot->setVisible(k > 0);
    if (k == 0)
        return;
    // Horizontal bars, code 1 on top, so answer labels read as in the questionnaire.
    auto *bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    bars->setName(tr("Weighted share"));
    bars->setPen(Qt::NoPen);
    bars->setBrush(kHumanColour);
    bars->setWidth(0.65);
    auto *whiskers = new QCPErrorBars(m_plot->yAxis, m_plot->xAxis);
    whiskers->setPen(QPen(Qt::black, 1.2));
    whiskers->setSymbolGap(0);
    QVector<double> keys, values, errors;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double top = 0.0;
    for (int i = 0; i < k; ++i) {
        const CategoryShare &c = d.categories[i];
        const double key = double(k - i);
        const double share = std::isfinite(c.share) ? c.share * 100.0 : 0.0;
        const double error = std::isfinite(c.standardError) ? kZ95 * c.standardError * 100.0 : 0.0;
        keys.append(key);
        values.append(share);
        errors.append(error);
        ticker->addTick(key, wrapped(c.label.isEmpty() ? QString::number(c.code) : c.label));
        top = std::max(top, share + error);
    }
    bars->setData(keys, values);
    whiskers->setDataPlottable(bars);
    whiskers->setData(errors);
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(0.4, k + 0.6);
    m_plot->xAxis->setRange(0.0, std::max(5.0, std::ceil(top * 1.1 / 5.0) * 5.0));
    m_plot->replot();
}

Status DataSetsPanel::writeQuestionnaire(const QString &path) const
{
    const QStringList names = selectedVariables();
    if (!m_session || names.isEmpty())
        return Error::user(tr("select the question variables first"));
    auto ds = DatasetStore(m_session->readerStore().project()).load(currentDataset(), names);
    if (!ds)
        return ds.error();
    auto questionnaire = QuestionnaireFromDataset::build(*ds, names);
    if (!questionnaire)
        return questionnaire.error();
    auto yaml = QuestionnaireFromDataset::toYaml(*questionnaire);
    if (!yaml)
        return yaml.error();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml->toUtf8()) < 0 || !file.commit())
        return Error::user(tr("cannot write %1: %2").arg(path, file.errorString())).withFile(path);
    return {};
}

void DataSetsPanel::makeQuestionnaire()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Make questionnaire"),
                                                      currentDataset() + u"_questionnaire.yaml"_s,
                                                      tr("Questionnaire YAML (*.yaml *.yml)"));
    if (path.isEmpty())
        return;
    if (Status s = writeQuestionnaire(path); !s)
        Q_EMIT message(tr("Could not make the questionnaire: %1").arg(s.error().toString()), true);
    else
        Q_EMIT message(tr("Wrote the questionnaire of %1 to %2")
                           .arg(selectedVariables().join(u", "_s), QDir::toNativeSeparators(path)),
                       false);
}

void DataSetsPanel::updateButtons()
{
    m_make->setEnabled(m_session && !selectedVariables().isEmpty());
}

} // namespace anthology::ui
