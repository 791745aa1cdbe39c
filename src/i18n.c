/* svcaudit: the catalogue of output labels (see i18n.h). Each entry: a key,
 * the English text, the Chinese text; keys sorted, prefixed by where they
 * appear (sheet., dash., head., kpi., act., col., chart., value., ...) or by
 * the name they translate (status., state., verdict., role., ...). A text
 * with printf conversions has the same ones, in the same order, in every
 * language (test_i18n checks it). */
#include "svcaudit/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct msg {
    const char *key;
    const char *en;
    const char *zh;
} msg;

static const msg CATALOGUE[] = {
    {"act.age1", "overdue 1-7 days", "逾期 1-7 天"},
    {"act.age2", "overdue 8-30 days", "逾期 8-30 天"},
    {"act.age3", "overdue more than 30 days", "逾期超过 30 天"},
    {"act.completion", "Completed this cycle", "本周期完成率"},
    {"act.earlier", "from earlier cycles", "来自以往周期"},
    {"act.from", "from #%lld", "来自 #%lld"},
    {"act.from_cycle", "from %s", "来自 %s"},
    {"act.item", "%s %s", "%s %s"},
    {"act.missed", "Missed store targets", "未达标门店目标"},
    {"act.no_action", "without an action", "缺少行动"},
    {"act.no_reason", "without a reason", "缺少原因"},
    {"act.on_time", "Done on time", "按时完成率"},
    {"act.open", "Open actions", "未完成行动"},
    {"act.overdue", "overdue", "逾期"},
    {"act.section", "%s section %s", "%s 部分 %s"},
    {"act.title", "Act: what the cycle still needs", "处理：本周期仍需完成的事项"},
    {"act.to", "to #%lld", "转至 #%lld"},
    {"act.to_cycle", "to %s", "转至 %s"},
    {"action.done", "done", "已完成"},
    {"action.in_progress", "in progress", "进行中"},
    {"action.open", "open", "未开始"},
    {"action.reopened", "reopened", "重新打开"},
    {"action.verified", "verified", "已验证"},
    {"chart.actual", "Actual", "实际"},
    {"chart.by_store", "%s against target by store", "%s：各门店实际与目标"},
    {"chart.by_store_cut", "%s against target: the %d worst and %d best stores", "%s：最差 %d 家与最佳 %d 家门店的实际与目标"},
    {"chart.radar", "6S by section", "6S 各项目"},
    {"chart.target", "Target", "目标"},
    {"chart.trend", "SSI, CSI and 6S over the last cycles", "近几个周期的 SSI、CSI 与 6S"},
    {"chart.trend_one", "%s over the last cycles (%s)", "%s 近几个周期走势（%s）"},
    {"col.about", "About", "针对"},
    {"col.actions", "Actions", "行动"},
    {"col.actual", "Actual", "实际"},
    {"col.answer", "Answer", "回答"},
    {"col.answered", "Answered", "回答数"},
    {"col.audit", "Audit", "审核"},
    {"col.auditor", "Auditor", "审核员"},
    {"col.audits", "Audits", "审核数"},
    {"col.carried", "Carried", "结转"},
    {"col.change", "Change", "变化"},
    {"col.checklist", "Checklist", "检查表"},
    {"col.compared", "Compared", "可比审核数"},
    {"col.compliance", "Compliance", "合规率"},
    {"col.control", "Control", "控制状态"},
    {"col.critical", "Critical", "关键项"},
    {"col.critical_fails", "Critical fails", "关键项失败"},
    {"col.cycle", "Cycle", "周期"},
    {"col.cycles", "Cycles", "周期"},
    {"col.date", "Date", "日期"},
    {"col.difference", "Difference", "差异"},
    {"col.due", "Due", "截止日期"},
    {"col.employee", "Employee", "员工"},
    {"col.escalate", "Escalate", "升级"},
    {"col.evidence", "Evidence", "证据"},
    {"col.failed", "Failed", "失败数"},
    {"col.failing_stores", "Failing stores", "未通过的门店"},
    {"col.from", "From", "目标来源"},
    {"col.gap", "Gap", "差距"},
    {"col.id", "Id", "编号"},
    {"col.in_a_row", "In a row", "连续周期数"},
    {"col.in_cycle", "This cycle", "本周期"},
    {"col.item", "Item", "项目"},
    {"col.item_key", "Item key", "项目代码"},
    {"col.item_text", "Item text", "项目内容"},
    {"col.items", "Items", "项目数"},
    {"col.lcl", "LCL", "下控制限"},
    {"col.max", "Max", "满分"},
    {"col.mean", "Mean", "均值"},
    {"col.metric", "Metric", "指标"},
    {"col.move", "Move", "变化"},
    {"col.n", "n", "n"},
    {"col.na", "N/A", "不适用"},
    {"col.name", "Name", "名称"},
    {"col.note", "Note", "备注"},
    {"col.others_mean", "Others mean", "他人均值"},
    {"col.others_n", "Others n", "他人 n"},
    {"col.others_sd", "Others SD", "他人标准差"},
    {"col.overdue", "Overdue", "逾期"},
    {"col.own_mean", "Own mean", "个人均值"},
    {"col.owner", "Owner", "负责人"},
    {"col.p", "p", "p 值"},
    {"col.passed", "Passed", "通过数"},
    {"col.points", "Points", "分值"},
    {"col.q", "q", "q 值"},
    {"col.rank", "Rank", "排名"},
    {"col.rank_store", "Rank in store", "店内排名"},
    {"col.rating", "Rating", "评分"},
    {"col.reason", "Reason", "原因"},
    {"col.recognition", "Recognition", "表彰"},
    {"col.ref_rate", "Elsewhere", "其他门店"},
    {"col.region", "Region", "区域"},
    {"col.respondents", "Respondents", "受访人数"},
    {"col.role", "Role", "岗位"},
    {"col.run_rate", "Failure rate", "失败率"},
    {"col.scope", "Scope", "范围"},
    {"col.score", "Score", "得分"},
    {"col.sd", "SD", "标准差"},
    {"col.section", "Section", "部分"},
    {"col.standard", "Standard", "标准"},
    {"col.status", "Status", "状态"},
    {"col.store", "Store", "门店"},
    {"col.store_name", "Store name", "门店名称"},
    {"col.stores", "Stores", "门店数"},
    {"col.stores_failing", "Stores failing", "未通过门店数"},
    {"col.survey", "Survey", "调查值"},
    {"col.target", "Target", "目标"},
    {"col.ucl", "UCL", "上控制限"},
    {"col.value", "Value", "数值"},
    {"col.verdict", "Verdict", "结论"},
    {"col.appeals", "Appeals", "申诉"},
    {"col.upheld", "Upheld", "申诉成立"},
    {"col.version", "Version", "版本"},
    {"col.window", "Over the window", "窗口趋势"},
    {"colour.amber", "amber", "黄"},
    {"colour.green", "green", "绿"},
    {"colour.grey", "grey", "灰"},
    {"colour.red", "red", "红"},
    {"dash.audit_based", "SSI, CSI and 6S here are audit-based (mystery shops and audits, on a 0-100 scale), not the customer-survey indices.", "此处的 SSI、CSI 与 6S 基于审核（神秘顾客与现场审核，0-100 分制），并非客户调查指数。"},
    {"dash.chart_stores", "Stores in the charts", "图表中的门店"},
    {"dash.needs", "What needs doing", "待办事项"},
    {"dash.privacy.full", "Employees: shown by name.", "员工：显示姓名。"},
    {"dash.privacy.none", "Employees: no per-employee results.", "员工：不含个人结果。"},
    {"dash.privacy.pseudonymous", "Employees: shown by pseudonym only.", "员工：仅显示化名。"},
    {"dash.sub", "Period %s .. %s   State: %s   Generated: %s", "期间 %s 至 %s   状态：%s   生成于：%s"},
    {"dash.title", "Service audit - cycle %s", "服务审核 - 周期 %s"},
    {"dash.title_region", " - region %s", " - 区域 %s"},
    {"doc.subject", "Mystery shopping and 6S audit results against SSI, CSI and 6S targets", "神秘顾客与 6S 审核结果对照 SSI、CSI 与 6S 目标"},
    {"emp.hidden", "%ld employees whose role has fewer than %ld people at their store are not shown one by one; their audits count in their store's figures.", "%ld 名员工所在岗位在其门店不足 %ld 人，不单独显示；其审核计入门店数据。"},
    {"emp.hidden.one", "%ld employee whose role has fewer than %ld people at their store is not shown one by one; their audits count in their store's figures.", "%ld 名员工所在岗位在其门店不足 %ld 人，不单独显示；其审核计入门店数据。"},
    {"emp.none", "Per-employee results are not included in this workbook (--employees none).", "本工作簿不含员工个人结果（--employees none）。"},
    {"head.all_well", "All store targets met or explained; no overdue actions.", "所有门店目标均已达标或已说明原因；无逾期行动。"},
    {"head.backlog", "%ld open actions come from earlier cycles that were never closed.", "%ld 项未完成行动来自从未关闭的以往周期。"},
    {"head.backlog.one", "%ld open action comes from an earlier cycle that was never closed.", "%ld 项未完成行动来自从未关闭的以往周期。"},
    {"head.declined", "%ld stores declining: a figure sliding over the last cycles or fallen since the last one (see Trend).", "%ld 家门店下滑：指标在近几个周期持续下降或较上周期下降（见“趋势”）。"},
    {"head.declined.one", "%ld store declining: a figure sliding over the last cycles or fallen since the last one (see Trend).", "%ld 家门店下滑：指标在近几个周期持续下降或较上周期下降（见“趋势”）。"},
    {"head.missed", "Missed store targets: %ld without a reason, %ld without an action (of %ld); closing the cycle needs both.", "未达标的门店目标：%ld 项缺少原因，%ld 项缺少行动（共 %ld 项）；关闭周期需两者齐全。"},
    {"head.no_audits", "No audits yet in this cycle: nothing to judge yet.", "本周期尚无审核，暂无可评判的结果。"},
    {"head.not_audited", "%ld of %ld stores not audited yet.", "%ld 家门店（共 %ld 家）尚未审核。"},
    {"head.overdue", "%ld actions overdue, %ld of them by more than 30 days (oldest due %s).", "%ld 项行动已逾期，其中 %ld 项超过 30 天（最早截止 %s）。"},
    {"head.overdue.one", "%ld action overdue, %ld of it by more than 30 days (due %s).", "%ld 项行动已逾期，其中 %ld 项超过 30 天（截止 %s）。"},
    {"head.repeats", "%ld repeat failures to escalate (see Repeats).", "%ld 项重复失败需要升级处理（见“重复问题”）。"},
    {"head.repeats.one", "%ld repeat failure to escalate (see Repeats).", "%ld 项重复失败需要升级处理（见“重复问题”）。"},
    {"kpi.actual", "Actual", "实际"},
    {"kpi.audited", "Stores audited", "已审核门店"},
    {"kpi.audited_of", "Stores audited: %ld of %ld", "已审核门店：%ld / %ld"},
    {"kpi.audits", "Audits", "审核数"},
    {"kpi.gap", "Gap", "差距"},
    {"kpi.kpi", "KPI", "指标"},
    {"kpi.of", "%ld of %ld", "%ld / %ld"},
    {"kpi.prev", "vs prev.", "较上期"},
    {"kpi.status", "Status", "状态"},
    {"kpi.stores", "Stores", "门店数"},
    {"kpi.target", "Target", "目标"},
    {"plan.all", "All stores", "全部门店"},
    {"plan.done", "Done", "已完成"},
    {"plan.due", "Still due", "待完成"},
    {"plan.from", "From", "起"},
    {"plan.late", "Done late", "逾期完成"},
    {"plan.missed", "Missed", "未完成"},
    {"plan.missed_list", "Missed planned audits", "未完成的计划检查"},
    {"plan.more", "... and %ld more: svcaudit plan status", "……另有 %ld 项：svcaudit plan status"},
    {"plan.planned", "Planned", "计划"},
    {"plan.title", "Planned audits", "计划检查"},
    {"plan.to", "To", "止"},
    {"radar.best", "Best: %s", "最佳：%s"},
    {"radar.network", "Network", "全网"},
    {"radar.section", "6S section", "6S 项目"},
    {"radar.worst", "Worst: %s", "最差：%s"},
    {"report.action_no", "Action #%lld", "行动 #%lld"},
    {"report.actions", "Other actions on this audit", "本次审核的其他改进行动"},
    {"report.actions.none", "No action has been opened on these findings yet.",
     "尚未针对这些问题建立改进行动。"},
    {"report.answer", "Answer", "回答"},
    {"report.appeal",
     "To query this result, contact your regional office within %d days, quoting audit %lld.",
     "如对本次结果有异议，请在 %d 天内联系区域办公室，并注明审核编号 %lld。"},
    {"report.appeal.title", "Questions about this result?", "对结果有疑问？"},
    {"report.audit_no", "Audit %lld", "审核 %lld"},
    {"report.audits", "Audits", "审核记录"},
    {"report.audits.none", "No audit yet.", "尚无审核。"},
    {"report.change_since", "Change: since %s.", "变化：与 %s 相比。"},
    {"report.chart.employee", "This employee", "本员工"},
    {"report.chart.store", "Store %s", "门店 %s"},
    {"report.chart.target", "Target", "目标"},
    {"report.coaching", "Coaching points: the standards missed most", "辅导重点：未达标最多的标准"},
    {"report.coaching.none", "No standard was missed in these cycles.",
     "这些周期内没有未达标的标准。"},
    {"report.col.action", "Action", "行动"},
    {"report.col.actual", "Actual", "实际"},
    {"report.col.audits", "Audits", "审核数"},
    {"report.col.change", "Change", "变化"},
    {"report.col.checklist", "Checklist", "检查表"},
    {"report.col.compliance", "Met", "达标率"},
    {"report.col.cycle", "Cycle", "周期"},
    {"report.col.date", "Date", "日期"},
    {"report.col.due", "Due", "截止日期"},
    {"report.col.gap", "Gap", "差距"},
    {"report.col.metric", "Metric", "指标"},
    {"report.col.missed", "Missed", "未达标"},
    {"report.col.owner", "Owner", "负责人"},
    {"report.col.rank", "Rank in store", "店内排名"},
    {"report.col.score", "Score", "得分"},
    {"report.col.standard", "Standard", "标准"},
    {"report.col.status", "Status", "状态"},
    {"report.col.survey", "Survey", "客户调查"},
    {"report.col.target", "Target", "目标"},
    {"report.critical", "CRITICAL", "关键项"},
    {"report.due", "due %s", "截止 %s"},
    {"report.escalate", "missed in consecutive cycles: escalate", "连续多个周期未达标：需升级处理"},
    {"report.evidence", "Evidence", "证据"},
    {"report.failed", "FAILED: a critical standard was not met.", "不合格：有关键标准未达到。"},
    {"report.figures", "Figures against targets", "指标与目标对比"},
    {"report.figures.none", "No figures yet: no audits and no targets.",
     "暂无数据：没有审核，也没有目标。"},
    {"report.gap_line", "Gap: %s%.1f points", "差距：%s%.1f 分"},
    {"report.improve", "To improve", "需要改进的方面"},
    {"report.improve.none", "Every standard checked was met.", "所有检查的标准均已达到。"},
    {"report.label.auditor", "Auditor", "审核员"},
    {"report.label.checklist", "Checklist", "检查表"},
    {"report.label.cycle", "Cycle", "周期"},
    {"report.label.date", "Date", "日期"},
    {"report.label.employee", "Employee", "员工"},
    {"report.label.region", "Region", "区域"},
    {"report.label.role", "Role", "岗位"},
    {"report.label.store", "Store", "门店"},
    {"report.list_sep", ", ", "、"},
    {"report.missed_of", "%ld of %ld", "%ld / %ld 次"},
    {"report.no_score", "No score: every item was N/A.", "无得分：所有项目均不适用。"},
    {"report.no_target", "No target is set for this store.", "该门店未设目标。"},
    {"report.not_rated", "not rated (fewer than %ld audits)", "未评级（审核少于 %ld 次）"},
    {"report.note", "Auditor's note", "审核员备注"},
    {"report.open_actions", "Open actions", "未完成的改进行动"},
    {"report.open_actions.none", "No open action.", "没有未完成的行动。"},
    {"report.overdue", "overdue", "已逾期"},
    {"report.page", "page %d", "第 %d 页"},
    {"report.photo.missing", "file not found", "找不到文件"},
    {"report.photo.more", "not shown: at most %d pictures per standard",
     "未显示：每项标准最多显示 %d 张图片"},
    {"report.photo.named", "Picture %s: %s", "图片 %s：%s"},
    {"report.photo.not_picture", "not a JPEG or PNG picture", "不是 JPEG 或 PNG 图片"},
    {"report.photo.too_large", "too large to embed (%d x %d pixels)",
     "图片过大，无法嵌入（%d x %d 像素）"},
    {"report.photo.unreadable", "cannot be read", "无法读取"},
    {"report.privacy.full", "employees: names shown", "员工：显示姓名"},
    {"report.privacy.none", "employees: not shown", "员工：不显示"},
    {"report.privacy.pseudonymous", "employees: pseudonyms", "员工：使用化名"},
    {"report.rank", "%ld", "第 %ld 名"},
    {"report.rank_best", "%ld, best in store", "第 %ld 名，店内最佳"},
    {"report.sections", "Sections against the target", "各部分与目标对比"},
    {"report.standards_line", "%ld standards: %ld met, %ld not met, %ld N/A",
     "共 %ld 项标准：%ld 项达标，%ld 项未达标，%ld 项不适用"},
    {"report.title.audit", "Audit report", "审核报告"},
    {"report.title.employee", "Employee report", "员工报告"},
    {"report.title.store", "Store report", "门店报告"},
    {"report.trend", "Over the last cycles", "近几个周期的走势"},
    {"report.void", "VOID: %s. This audit counts in no figure.", "已作废：%s。本次审核不计入任何数据。"},
    {"report.vs_target", "Target (%s): %.1f %%, %s", "目标（%s）：%.1f %%，%s"},
    {"report.weakest", "Weakest standards", "最薄弱的标准"},
    {"report.weakest.none", "Every standard checked was met in every audit.",
     "每次审核中所有检查的标准均已达到。"},
    {"report.well", "What went well", "做得好的方面"},
    {"report.well.above_store", "At or above the store's %s in %s (%.1f %%)",
     "%s 达到或高于门店水平（%s，门店 %.1f %%）"},
    {"report.well.best", "Best in the store in %s", "%s 店内最佳"},
    {"report.well.critical", "Every critical standard met (%ld)", "所有关键标准均已达到（%ld 项）"},
    {"report.well.every_time", "%ld standards met in every audit", "%ld 项标准在每次审核中均达到"},
    {"report.well.metric_met", "%s meets its target of %.1f %%", "%s 达到目标 %.1f %%"},
    {"report.well.metric_up", "%s up %.1f points since %s", "%s 提高 %.1f 分（与 %s 相比）"},
    {"report.well.none", "Nothing to single out this time.", "本次没有特别突出的方面。"},
    {"report.well.sections", "Sections at or above the target (%ld)", "达到目标的部分（%ld 个）"},
    {"report.well.sections_high", "Sections at %.0f %% or more (%ld)", "达到 %.0f %% 及以上的部分（%ld 个）"},
    {"report.well.standards", "%ld of %ld standards met", "%ld / %ld 项标准达标"},
    {"report.well.store_best", "Best in the store: %s", "店内最佳员工：%s"},
    {"report.well.store_every_time", "%ld standards met in every audit",
     "%ld 项标准在每次审核中均达到"},
    {"report.well.target", "Score %.1f %% meets the target of %.1f %%",
     "得分 %.1f %% 达到目标 %.1f %%"},
    {"report.well.up", "Up %.1f points since %s", "提高 %.1f 分（与 %s 相比）"},
    {"report.window", "cycles %s to %s", "周期 %s 至 %s"},
    {"report.zeroed", "The score counts as 0 (critical policy); %.1f %% before.",
     "按关键项规则计为 0 分（原得分 %.1f %%）。"},
    {"role.manager", "manager", "经理"},
    {"role.receptionist", "receptionist", "前台接待"},
    {"role.sales", "sales", "销售"},
    {"role.sales consultant", "sales consultant", "销售顾问"},
    {"role.service", "service", "售后服务"},
    {"role.service advisor", "service advisor", "服务顾问"},
    {"role.store manager", "store manager", "店长"},
    {"scope.network", "network", "全网"},
    {"scope.region", "region", "区域"},
    {"scope.store", "store", "门店"},
    {"sheet.actions", "Actions 5W1H", "5W1H 行动"},
    {"sheet.auditors", "Auditors", "审核员"},
    {"sheet.audits", "Audits", "审核"},
    {"sheet.dashboard", "Dashboard", "仪表板"},
    {"sheet.data", "Data", "数据"},
    {"sheet.data_n", "Data %d", "数据 %d"},
    {"sheet.employees", "Employees", "员工"},
    {"sheet.repeats", "Repeats", "重复问题"},
    {"sheet.six", "6S", "6S"},
    {"sheet.standards", "Service standards", "服务标准"},
    {"sheet.stores", "Stores", "门店"},
    {"sheet.trend", "Trend", "趋势"},
    {"signal.above UCL", "above UCL", "高于上控制限"},
    {"signal.below LCL", "below LCL", "低于下控制限"},
    {"signal.in control", "in control", "受控"},
    {"six.none", "No 6S checklist is installed.", "未安装 6S 检查表。"},
    {"state.act", "act", "处理"},
    {"state.check", "check", "检查"},
    {"state.closed", "closed", "已关闭"},
    {"state.do", "do", "执行"},
    {"state.plan", "plan", "计划"},
    {"status.met", "met", "达标"},
    {"status.missed", "missed", "未达标"},
    {"status.no data", "no data", "无数据"},
    {"status.no target", "no target", "无目标"},
    {"tbl.chg", "%s chg", "%s 变化"},
    {"tbl.gap", "%s gap", "%s 差距"},
    {"tbl.target", "%s target", "%s 目标"},
    {"value.best", "best in store", "店内最佳"},
    {"value.escalate", "ESCALATE", "升级"},
    {"value.failed", "FAILED", "不合格"},
    {"value.insufficient", "insufficient n", "样本不足"},
    {"value.na", "n/a", "不适用"},
    {"value.no", "no", "否"},
    {"value.not_rated", "not rated: %ld of the %ld audits needed", "未评级：已审核 %ld 次，需 %ld 次"},
    {"value.overdue", "OVERDUE", "逾期"},
    {"value.watch", "watch", "观察"},
    {"value.yes", "yes", "是"},
    {"verdict.consistent", "consistent", "一致"},
    {"verdict.declined", "declined", "下降"},
    {"verdict.declining", "declining", "持续下滑"},
    {"verdict.improved", "improved", "改善"},
    {"verdict.improving", "improving", "持续改善"},
    {"verdict.insufficient n", "insufficient n", "样本不足"},
    {"verdict.lenient", "lenient", "偏宽松"},
    {"verdict.no significant change", "no significant change", "无显著变化"},
    {"verdict.stable", "stable", "平稳"},
    {"verdict.strict", "strict", "偏严格"},
};

#define N_MSG ((int)(sizeof CATALOGUE / sizeof *CATALOGUE))

static const char *const LANGS[] = {"en", "zh"};

bool sva_lang_known(const char *lang)
{
    if (!lang)
        return true;
    for (size_t i = 0; i < sizeof LANGS / sizeof *LANGS; i++)
        if (strcmp(lang, LANGS[i]) == 0)
            return true;
    return false;
}

const char *sva_lang_names(void)
{
    return "en, zh";
}

static const char *text_of(const msg *m, const char *lang)
{
    if (lang && strcmp(lang, "zh") == 0)
        return m->zh;
    return m->en;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const msg *const *)a)->key, (*(const msg *const *)b)->key);
}

/* The catalogue sorted by key, built on first use. The table is static and
 * never changes, so a race between two first uses builds the same index. */
static const msg *const *index_of(void)
{
    static const msg *idx[N_MSG];
    static int built;
    if (!built) {
        for (int i = 0; i < N_MSG; i++)
            idx[i] = &CATALOGUE[i];
        qsort(idx, N_MSG, sizeof *idx, by_key);
        built = 1;
    }
    return idx;
}

const char *sva_tr(const char *lang, const char *key)
{
    msg k = {key, NULL, NULL};
    const msg *kp = &k;
    const msg *const *hit = bsearch(&kp, index_of(), N_MSG, sizeof *hit, by_key);
    if (!hit)
        return key; /* the caller's pointer: sva_tr_name tells a miss by it */
    const char *t = text_of(*hit, lang);
    return t && *t ? t : (*hit)->en;
}

const char *sva_tr_name(const char *lang, const char *prefix, const char *name)
{
    if (!name)
        return "";
    char key[128];
    int n = snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (n < 0 || (size_t)n >= sizeof key)
        return name;
    const char *t = sva_tr(lang, key);
    return t == key ? name : t;
}

int sva_tr_count(void)
{
    return N_MSG;
}

const char *sva_tr_key(int i)
{
    return i >= 0 && i < N_MSG ? CATALOGUE[i].key : NULL;
}

const char *sva_tr_at(int i, const char *lang)
{
    if (i < 0 || i >= N_MSG)
        return NULL;
    const char *t = text_of(&CATALOGUE[i], lang);
    return t && *t ? t : NULL;
}
