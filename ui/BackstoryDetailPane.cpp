#include "BackstoryDetailPane.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace anthology::ui {

namespace {

QString tokenText(const Backstory &b)
{
    if (!b.tokenCount)
        return BackstoryDetailPane::tr("unknown");
    if (b.tokenCountEstimated)
        return BackstoryDetailPane::tr("≈ %1 (estimated from the original's count: the text was edited)")
            .arg(QLocale().toString(*b.tokenCount));
    return QLocale().toString(*b.tokenCount);
}

// The model's log probability is of the text it generated, which an edit no longer is.
QString logprobText(const Backstory &b)
{
    if (!b.logprob)
        return BackstoryDetailPane::tr("unknown");
    const QString value = QString::number(*b.logprob, 'g', 8);
    return b.tokenCountEstimated ? BackstoryDetailPane::tr("%1 (of the generated text, before the edit)").arg(value)
                                 : value;
}

} // namespace

BackstoryDetailPane::BackstoryDetailPane(QWidget *parent)
    : QWidget(parent), m_titleBox(new QWidget(this)), m_title(new QLabel(m_titleBox)), m_text(new QPlainTextEdit(this)),
      m_revisions(new QComboBox(this)), m_save(new QPushButton(tr("&Save edit"), this)),
      m_revert(new QPushButton(tr("&Revert"), this)), m_undo(new QPushButton(tr("&Undo last edit"), this)),
      m_attributes(new QTableWidget(0, 2, this))
{
    m_title->setObjectName(u"backstoryTitle"_s);
    m_title->setTextFormat(Qt::RichText);
    // Every row change sets a new title. A label in a layout re-lays out the whole window when its
    // text changes (its size hint does), which was the longest GUI work of paging through the
    // table. In a box of fixed height without a layout, a new title only repaints the label; a
    // title wider than the pane is cut at its right edge (the full text is the tooltip).
    m_title->setText(u"<b>Xg</b> Xg"_s);
    m_titleBox->setFixedHeight(m_title->sizeHint().height());
    m_titleBox->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_titleBox->installEventFilter(this);
    m_text->setObjectName(u"backstoryText"_s);
    m_text->setPlaceholderText(tr("Select a backstory to read it here."));
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_revisions->setObjectName(u"revisionCombo"_s);
    m_revisions->setToolTip(tr("Earlier revisions of this backstory (read only)"));
    m_save->setObjectName(u"saveEditButton"_s);
    m_save->setToolTip(tr("Save the edited text as a new revision (%1)")
                           .arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_revert->setObjectName(u"revertButton"_s);
    m_undo->setObjectName(u"undoEditButton"_s);
    m_undo->setToolTip(tr("Restore the previous revision; the current text stays in the history"));
    m_attributes->setObjectName(u"attributeTable"_s);
    m_attributes->setHorizontalHeaderLabels({tr("Attribute"), tr("Value")});
    m_attributes->horizontalHeader()->setStretchLastSection(true);
    m_attributes->verticalHeader()->hide();
    m_attributes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_attributes->setWordWrap(false);
    m_attributes->verticalHeader()->setDefaultSectionSize(m_attributes->fontMetrics().height() + 6);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Revision:"), this));
    buttons->addWidget(m_revisions, 1);
    buttons->addWidget(m_undo);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);

    auto *textBox = new QWidget(this);
    auto *textLayout = new QVBoxLayout(textBox);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->addWidget(m_titleBox);
    textLayout->addWidget(m_text, 1);
    textLayout->addLayout(buttons);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(textBox);
    split->addWidget(m_attributes);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_text, &QPlainTextEdit::textChanged, this, &BackstoryDetailPane::updateButtons);
    connect(m_save, &QPushButton::clicked, this, &BackstoryDetailPane::requestSave);
    connect(m_revert, &QPushButton::clicked, this, &BackstoryDetailPane::discardEdit);
    connect(m_undo, &QPushButton::clicked, this, &BackstoryDetailPane::requestUndo);
    connect(m_revisions, &QComboBox::activated, this, &BackstoryDetailPane::selectRevision);
    showBackstory(std::nullopt, {});
}

void BackstoryDetailPane::showBackstory(const std::optional<Backstory> &backstory,
                                        const QList<BackstoryRevision> &history)
{
    m_history = history;
    m_revisions->clear();
    m_attributes->setRowCount(0);
    if (!backstory) {
        m_uid.clear();
        m_savedText.clear();
        m_revision = m_shownRevision = 0;
        m_text->setPlainText(QString());
        updateButtons();
        return;
    }
    m_uid = backstory->uid;
    m_savedText = backstory->text;
    m_revision = backstory->revision;
    m_shownRevision = backstory->revision;
    m_text->setPlainText(backstory->text);
    for (const BackstoryRevision &r : history) {
        const QString when = r.editedAt.isValid()
                                 ? QLocale().toString(r.editedAt.toLocalTime(), QLocale::ShortFormat)
                                 : tr("imported");
        m_revisions->addItem(r.current ? tr("%1 — %2 (current)").arg(r.revision).arg(when)
                                       : tr("%1 — %2").arg(r.revision).arg(when),
                             r.revision);
    }
    m_revisions->setCurrentIndex(m_revisions->findData(backstory->revision));
    m_text->setReadOnly(false);

    QList<QPair<QString, QString>> rows{
        {tr("uid"), backstory->uid},
        {tr("tokens"), tokenText(*backstory)},
        {tr("log probability"), logprobText(*backstory)},
        {tr("model"), backstory->model},
    };
    for (auto it = backstory->sampling.constBegin(); it != backstory->sampling.constEnd(); ++it)
        rows.append({it.key(), it.value().toVariant().toString()});
    for (auto it = backstory->attributes.constBegin(); it != backstory->attributes.constEnd(); ++it) {
        const QJsonValue v = it.value();
        rows.append(
            {it.key(),
             v.isString()
                 ? v.toString()
                 : QString::fromUtf8(QJsonDocument(QJsonObject{{u"v"_s, v}}).toJson(QJsonDocument::Compact))
                       .mid(5)
                       .chopped(1)});
    }
    m_attributes->setRowCount(int(rows.size()));
    // The usual attributes (uid, tokens, log probability, model and a few more) show without
    // scrolling: the pane is at least as tall as nine rows, or as all of them when fewer.
    const int shown = std::min(int(rows.size()), 9);
    m_attributes->setMinimumHeight(m_attributes->horizontalHeader()->sizeHint().height() +
                                   shown * m_attributes->verticalHeader()->defaultSectionSize() +
                                   2 * m_attributes->frameWidth());
    for (int i = 0; i < rows.size(); ++i) {
        m_attributes->setItem(i, 0, new QTableWidgetItem(rows[i].first));
        m_attributes->setItem(i, 1, new QTableWidgetItem(rows[i].second));
    }
    updateButtons();
}

bool BackstoryDetailPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_titleBox && event->type() == QEvent::Resize)
        m_title->setGeometry(m_titleBox->rect());
    return QWidget::eventFilter(watched, event);
}

bool BackstoryDetailPane::hasUnsavedChanges() const
{
    return !m_uid.isEmpty() && !m_text->isReadOnly() && m_text->toPlainText() != m_savedText;
}

QString BackstoryDetailPane::editedText() const
{
    return m_text->toPlainText();
}

void BackstoryDetailPane::setEditingEnabled(bool enabled)
{
    m_editingEnabled = enabled;
    updateButtons();
}

int BackstoryDetailPane::historyCurrentRevision() const
{
    for (const BackstoryRevision &r : m_history)
        if (r.current)
            return r.revision;
    return m_history.isEmpty() ? 0 : m_history.constLast().revision;
}

void BackstoryDetailPane::selectRevision(int comboIndex)
{
    const int revision = m_revisions->itemData(comboIndex).toInt();
    if (revision == historyCurrentRevision()) {
        m_shownRevision = revision;
        m_text->setPlainText(m_savedText);
        m_text->setReadOnly(false);
        updateButtons();
        return;
    }
    Q_EMIT revisionRequested(m_uid, revision);
}

void BackstoryDetailPane::showRevisionText(int revision, const QString &text)
{
    if (m_revisions->itemData(m_revisions->currentIndex()).toInt() != revision)
        return;
    m_shownRevision = revision;
    m_text->setReadOnly(true); // earlier revisions are history: read, not edited
    m_text->setPlainText(text);
    updateButtons();
}

void BackstoryDetailPane::discardEdit()
{
    if (!m_uid.isEmpty())
        m_text->setPlainText(m_savedText);
}

bool BackstoryDetailPane::canSave() const
{
    return m_editingEnabled && hasUnsavedChanges();
}

bool BackstoryDetailPane::canUndo() const
{
    return m_editingEnabled && !m_uid.isEmpty() && m_history.size() > 1 && !hasUnsavedChanges();
}

void BackstoryDetailPane::requestSave()
{
    if (canSave())
        Q_EMIT saveRequested(m_uid, m_text->toPlainText());
}

void BackstoryDetailPane::requestUndo()
{
    if (canUndo())
        Q_EMIT undoRequested(m_uid);
}

void BackstoryDetailPane::updateTitle()
{
    QString title;
    if (m_uid.isEmpty()) {
        title = tr("<i>No backstory selected</i>");
    } else {
        const QString uid = u"<b>%1</b>"_s.arg(m_uid.toHtmlEscaped());
        const QString chars = QLocale().toString(m_text->toPlainText().size());
        if (m_shownRevision != m_revision)
            title = tr("%1 &nbsp; revision %2 · %3 characters · <b>read-only</b>: an earlier revision "
                       "(the current one is %4)")
                        .arg(uid)
                        .arg(m_shownRevision)
                        .arg(chars)
                        .arg(m_revision);
        else
            title = tr("%1 &nbsp; revision %2 · %3 characters").arg(uid).arg(m_revision).arg(chars) +
                    (m_modified ? tr(" · <b>modified</b>, not saved") : QString());
    }
    if (title == m_title->text())
        return;
    m_title->setText(title);
    m_title->setToolTip(title); // the title is cut at the pane's right edge when it is wider
}

void BackstoryDetailPane::updateButtons()
{
    const bool haveText = !m_uid.isEmpty();
    m_text->setEnabled(haveText);
    if (!haveText)
        m_text->setReadOnly(true);
    else if (m_revisions->count() == 0 ||
             m_revisions->itemData(m_revisions->currentIndex()).toInt() == historyCurrentRevision())
        m_text->setReadOnly(!m_editingEnabled);
    const bool dirty = hasUnsavedChanges();
    m_save->setEnabled(canSave());
    m_revert->setEnabled(dirty);
    m_undo->setEnabled(canUndo());
    m_revisions->setEnabled(haveText && m_history.size() > 1 && !dirty);
    if (dirty != m_modified) {
        m_modified = dirty;
        Q_EMIT modifiedChanged(dirty);
    }
    updateTitle();
    Q_EMIT actionsChanged();
}

} // namespace anthology::ui
