/* svcaudit tool: gen_demo, the bundled demo data of `make demo`.
 *
 * usage: gen_demo CHECKLIST_DIR OUTDIR
 *
 * Writes, deterministically (a fixed-seed xorshift64* generator: the same
 * bytes on every run and machine):
 *   OUTDIR/stores.csv       12 dealerships in 3 regions (id,name,region)
 *   OUTDIR/employees.csv    5 per store: 3 sales consultants, 1 service advisor,
 *                           1 receptionist (id,name,store,role)
 *   OUTDIR/cycles.txt       "ID FROM TO" per line, oldest first; the last is the
 *                           current demo month
 *   OUTDIR/sheets/NNNN.ini  filled answer sheets, in recording order: every
 *                           cycle's audits, then every cycle's further
 *                           6S walks (see gen_more_walks)
 *   OUTDIR/sheets.txt       "sheets/NNNN.ini CHECKLIST" per line, in that order
 *
 * The story the data tells: every store has a base quality (some strong, some
 * weak) and a slight trend; Tianjin Binhai drops sharply in the last cycle and
 * Foshan Chancheng improves sharply; every employee has a skill offset. Each
 * answer passes with a probability made of these and the item's difficulty.
 * The two moves are sized for the QA comparison to find them: with four 6S
 * walks a store and cycle, `cycle status` and the workbook's Trend (every
 * store, region and the network one family, false discovery rate 5 %) call
 * them in about 9 of 10 worlds drawn from other seeds (Tianjin's in 46 of 50,
 * Foshan's in 45) and never a 6S change of a store without a story (0 of 500);
 * at the sizes before (-0.27, +0.24) Tianjin's was called in 11 of 20.
 * N/A where allowed (about 10 %), a few failed critical items, and a note
 * (English or Chinese) wherever the item's evidence rule requires one.
 *
 * Every sheet is written with sva_sheet_write, read back with sva_sheet_parse
 * and checked by the audit module (sva_audit_prepare_sheet), so `svcaudit
 * record` accepts it.
 * Prints one count line; on a library or I/O error prints it and exits 3. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "svcaudit/answers.h"
#include "svcaudit/audit.h"
#include "svcaudit/checklist.h"
#include "svcaudit/error.h"
#include "svcaudit/score.h"

/* ---- deterministic randomness -------------------------------------------- */

static unsigned long long rng_state = 0x5EED2026C0FFEE11ull;

/* xorshift64*: the same sequence on every run and machine. */
static unsigned long long rnd64(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

/* Uniform in [0, 1). */
static double urand(void)
{
    return (double)(rnd64() >> 11) / 9007199254740992.0;
}

/* Uniform in [0, n). */
static unsigned pick(unsigned n)
{
    return (unsigned)((rnd64() >> 32) % n);
}

/* Uniform in [lo, hi]. */
static int irange(int lo, int hi)
{
    return lo + (int)pick((unsigned)(hi - lo + 1));
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* FNV-1a: a stable per-item difficulty that does not depend on draw order. */
static unsigned long fnv(const char *a, const char *b)
{
    unsigned long h = 2166136261ul;
    for (const char *p = a; *p; p++)
        h = ((h ^ (unsigned char)*p) * 16777619ul) & 0xfffffffful;
    h = ((h ^ '/') * 16777619ul) & 0xfffffffful;
    for (const char *p = b; *p; p++)
        h = ((h ^ (unsigned char)*p) * 16777619ul) & 0xfffffffful;
    return h;
}

/* ---- the organisation ---------------------------------------------------- */

typedef struct store_def {
    const char *id, *name, *region;
    double base;  /* pass probability of an average item in the first cycle */
    double slope; /* change per cycle */
    double jump;  /* extra change in the last cycle */
} store_def;

static const store_def STORES[] = {
    {"SH-001", "Shanghai Pudong", "East", 0.91, 0.010, 0.0},
    {"SH-002", "Shanghai Minhang", "East", 0.79, 0.015, 0.0},
    {"HZ-001", "Hangzhou Xihu", "East", 0.85, 0.000, 0.0},
    {"NJ-001", "Nanjing Jianye", "East", 0.71, 0.020, 0.0},
    {"BJ-001", "Beijing Chaoyang", "North", 0.87, 0.010, 0.0},
    {"BJ-002", "Beijing Haidian", "North", 0.76, -0.010, 0.0},
    {"TJ-001", "Tianjin Binhai", "North", 0.84, 0.010, -0.35}, /* clear decline */
    {"JN-001", "Jinan Lixia", "North", 0.68, 0.010, 0.0},
    {"GZ-001", "Guangzhou Tianhe", "South", 0.89, 0.000, 0.0},
    {"SZ-001", "Shenzhen Nanshan", "South", 0.80, 0.020, 0.0},
    {"FS-001", "Foshan Chancheng", "South", 0.59, 0.020, 0.30}, /* clear improvement */
    {"XM-001", "Xiamen Siming", "South", 0.66, -0.015, 0.0},
};
#define N_STORES (sizeof STORES / sizeof STORES[0])
#define EMP_PER_STORE 5
#define N_EMPLOYEES (N_STORES * EMP_PER_STORE)

/* In store order, five each: E01-E03 sales consultants, E04 service advisor,
 * E05 receptionist. About a third in Chinese characters. */
static const char *const NAMES[N_EMPLOYEES] = {
    "Wang Lei",    "李娜",       "Zhang Wei",  "Liu Yang",  "陈静",
    "Yang Fan",    "Zhao Min",   "黄磊",       "Zhou Jie",  "Wu Xiaoli",
    "Xu Hao",      "孙丽",       "Ma Jun",     "Hu Bin",    "郭婷",
    "Lin Feng",    "He Yun",     "高峰",       "Luo Qiang", "Zheng Shuang",
    "Liang Chen",  "谢芳",       "Song Tao",   "Tang Ming", "韩雪",
    "Feng Kai",    "Deng Lin",   "曹阳",       "Peng Bo",   "Zeng Hui",
    "Xiao Yu",     "田甜",       "Dong Liang", "Pan Wen",   "袁媛",
    "Jiang Tao",   "Cai Hong",   "蒋勇",       "Yu Hai",    "Du Juan",
    "Ye Qing",     "程刚",       "Wei Dong",   "Su Mei",    "吕萍",
    "Ding Ning",   "Ren Jie",    "沈涛",       "Yao Lan",   "Lu Xin",
    "Jiang Yan",   "崔浩",       "Zhong Wei",  "Tan Yong",  "汪琳",
    "Fan Rui",     "Jin Hua",    "廖伟",       "Qiu Ling",  "Shi Lei",
};

static const char *const ROLES[EMP_PER_STORE] = {
    "sales consultant", "sales consultant", "sales consultant", "service advisor",
    "receptionist",
};

enum { E_SALES1 = 0, E_SALES3 = 2, E_ADVISOR = 3, E_RECEPTION = 4 };

typedef struct employee {
    char id[16];
    const char *name, *role;
    size_t store;
    double skill; /* added to the store's pass probability */
} employee;

static const char *const AUDITORS[] = {"Zhang Min", "Li Wei", "Sun Yue", "Wang Fang"};
#define N_AUDITORS (sizeof AUDITORS / sizeof AUDITORS[0])

typedef struct cycle_def {
    const char *id, *from, *to;
    int last_day; /* audits fall on day 2 .. last_day */
} cycle_def;

/* The demo's "today" is 2026-11-25: the current cycle has no audits after it. */
static const cycle_def CYCLES[] = {
    {"2026-09", "2026-09-01", "2026-09-30", 29},
    {"2026-10", "2026-10-01", "2026-10-31", 30},
    {"2026-11", "2026-11-01", "2026-11-30", 24},
};
#define N_CYCLES (sizeof CYCLES / sizeof CYCLES[0])

/* The declining store's 6S audit in the last cycle finds blocked exits. */
#define DECLINE_STORE "TJ-001"
#define DECLINE_ITEM "safety.emergency_exits"

/* ---- observation notes ---------------------------------------------------- */

typedef struct note_def {
    const char *checklist, *prefix, *text; /* the longest matching prefix wins */
} note_def;

static const note_def NOTES[] = {
    /* 6S */
    {"6s_store", "", "Several findings in this area, see photos"},
    {"6s_store", "", "现场问题较多，已拍照留存"},
    {"6s_store", "sort", "Old campaign posters and empty boxes behind the sales desks"},
    {"6s_store", "sort", "配件仓库有未贴红牌的旧件混放在正常库存中"},
    {"6s_store", "set_in_order", "Tool board shadows missing, two torque wrenches not returned"},
    {"6s_store", "set_in_order", "钥匙柜无登记，3把车钥匙放在接待台上"},
    {"6s_store", "shine", "Fingerprints on display cars, dust on the dashboards"},
    {"6s_store", "shine", "客户卫生间地面有水渍，无清洁记录"},
    {"6s_store", "standardize", "Cleaning schedule last signed three weeks ago"},
    {"6s_store", "standardize", "上次检查发现的问题尚未整改"},
    {"6s_store", "sustain", "Two technicians without badges, one using his phone in the lounge"},
    {"6s_store", "sustain", "员工在客户休息区玩手机"},
    {"6s_store", "safety", "Oil spill next to lift 3, not cleaned or marked"},
    {"6s_store", "safety", "废机油桶未加盖，存放区无标识"},
    {"6s_store", "safety.fire_extinguishers",
     "Extinguisher next to the paint store expired in August, no monthly check signed"},
    {"6s_store", "safety.fire_extinguishers", "车间2号灭火器压力不足，检查卡上月未签字"},
    {"6s_store", "safety.emergency_exits", "Rear workshop exit blocked by tyre racks"},
    {"6s_store", "safety.emergency_exits", "展厅安全出口被展架挡住，指示灯不亮"},
    /* sales */
    {"sales_mystery_shop", "", "See the shopper's report for the full visit"},
    {"sales_mystery_shop", "contact", "Online enquiry answered only the next afternoon"},
    {"sales_mystery_shop", "contact", "线上咨询超过24小时才回复"},
    {"sales_mystery_shop", "greeting", "Consultant gave no name and offered no drink"},
    {"sales_mystery_shop", "greeting", "未主动自我介绍，也未递送饮品"},
    {"sales_mystery_shop", "greeting.within_60s",
     "About three minutes before anyone greeted us, both consultants were on the phone"},
    {"sales_mystery_shop", "greeting.within_60s", "进店后约3分钟无人接待"},
    {"sales_mystery_shop", "facility", "Facility below standard, see photos"},
    {"sales_mystery_shop", "facility", "展厅环境不符合标准，见照片"},
    {"sales_mystery_shop", "facility.showroom_clean", "Showroom floor dusty near the entrance"},
    {"sales_mystery_shop", "facility.display_cars", "展车车窗有指纹，车内有杂物"},
    {"sales_mystery_shop", "facility.lounge_toilets", "Customer toilet out of soap and paper towels"},
    {"sales_mystery_shop", "needs", "Went straight to the price without asking about our needs"},
    {"sales_mystery_shop", "needs", "未了解顾客用车需求就直接推荐车型"},
    {"sales_mystery_shop", "presentation", "Read features off the brochure, none linked to our needs"},
    {"sales_mystery_shop", "presentation", "介绍车辆时未结合顾客需求"},
    {"sales_mystery_shop", "presentation.accurate", "Said the car has 8 airbags, the spec sheet says 6"},
    {"sales_mystery_shop", "presentation.accurate", "对油耗的介绍与官方数据不符"},
    {"sales_mystery_shop", "test_drive", "Test drive was a ten-minute loop around the block"},
    {"sales_mystery_shop", "test_drive", "试驾前未检查驾照，未签试驾协议"},
    {"sales_mystery_shop", "test_drive.offered",
     "No test drive offered, even after we asked about handling"},
    {"sales_mystery_shop", "test_drive.offered", "顾客询问后才提到试驾，最终未安排"},
    {"sales_mystery_shop", "offer", "Finance and insurance options not explained"},
    {"sales_mystery_shop", "offer", "未介绍金融和保险方案"},
    {"sales_mystery_shop", "offer.no_pressure", "Pushed for a deposit today because the offer ends tonight"},
    {"sales_mystery_shop", "offer.no_pressure", "反复催促当天交定金"},
    {"sales_mystery_shop", "offer.written_quote", "Price given verbally only, no written quote"},
    {"sales_mystery_shop", "offer.written_quote", "只口头报价，未提供书面报价单"},
    {"sales_mystery_shop", "offer.no_hidden_fees",
     "A 3,000 RMB service fee appeared only at the contract stage"},
    {"sales_mystery_shop", "offer.no_hidden_fees", "签约时才提出收取上牌服务费"},
    {"sales_mystery_shop", "paperwork", "Contract terms not explained, just where to sign"},
    {"sales_mystery_shop", "paperwork.matches_quote", "Contract price 1,200 RMB above the written quote"},
    {"sales_mystery_shop", "paperwork.time", "合同手续办理超过90分钟"},
    {"sales_mystery_shop", "delivery", "Handover rushed, the car's functions were not shown"},
    {"sales_mystery_shop", "delivery", "交车时未讲解车辆功能"},
    {"sales_mystery_shop", "delivery.on_time", "Delivery started 40 minutes late"},
    {"sales_mystery_shop", "delivery.clean", "交车时车辆未清洗"},
    {"sales_mystery_shop", "follow_up", "No call after the visit"},
    {"sales_mystery_shop", "follow_up", "到店后无回访电话"},
    /* after-sales */
    {"service_mystery_shop", "", "See the shopper's report for the full visit"},
    {"service_mystery_shop", "initiation", "No seat cover or floor mat put in the car"},
    {"service_mystery_shop", "initiation", "未使用三件套保护车辆"},
    {"service_mystery_shop", "initiation.phone_answer", "Phone rang eight times before anyone answered"},
    {"service_mystery_shop", "initiation.appointment_slot", "No slot offered within the next week"},
    {"service_mystery_shop", "initiation.slot_kept", "按预约时间到店后仍等候40分钟"},
    {"service_mystery_shop", "initiation.greeted_2min", "No one came to the car for about five minutes"},
    {"service_mystery_shop", "initiation.greeted_2min", "到店5分钟无人接待"},
    {"service_mystery_shop", "advisor", "Did not explain the work or the price before starting"},
    {"service_mystery_shop", "advisor", "服务顾问未解释维修项目"},
    {"service_mystery_shop", "advisor.delay_notice", "Car ready two hours late, nobody called"},
    {"service_mystery_shop", "advisor.walkaround",
     "No walk-around, the scratch on the rear bumper was not noted"},
    {"service_mystery_shop", "advisor.walkaround", "未进行环车检查"},
    {"service_mystery_shop", "advisor.written_estimate", "No written estimate, price only said at the desk"},
    {"service_mystery_shop", "advisor.written_estimate", "未提供书面维修估价单"},
    {"service_mystery_shop", "advisor.extra_work_permission",
     "Brake pads replaced without asking, 680 RMB added to the bill"},
    {"service_mystery_shop", "advisor.extra_work_permission", "未经客户同意增加维修项目"},
    {"service_mystery_shop", "facility", "Price list not displayed, staff did not know the Wi-Fi password"},
    {"service_mystery_shop", "facility", "休息区设施不完善"},
    {"service_mystery_shop", "facility.lounge_clean", "Lounge tables not wiped, cups left from earlier customers"},
    {"service_mystery_shop", "facility.toilets", "卫生间无纸巾，有异味"},
    {"service_mystery_shop", "pickup", "Pick-up rushed, nobody walked us to the car"},
    {"service_mystery_shop", "pickup", "交车流程仓促"},
    {"service_mystery_shop", "pickup.invoice_explained", "Invoice not explained, the labour line is unclear"},
    {"service_mystery_shop", "pickup.car_clean", "取车时车内有油污手印"},
    {"service_mystery_shop", "pickup.ready_on_time", "Car ready 90 minutes after the promised time"},
    {"service_mystery_shop", "pickup.payment_time", "结账等候超过15分钟"},
    {"service_mystery_shop", "quality", "Inspection findings not explained"},
    {"service_mystery_shop", "quality.fixed_first_time", "Same noise from the front axle after the repair"},
    {"service_mystery_shop", "quality.fixed_first_time", "故障未一次修复，需再次返厂"},
    {"service_mystery_shop", "quality.work_done", "Cabin filter charged but not replaced"},
    {"service_mystery_shop", "quality.no_new_damage", "New scratch on the driver's door after the visit"},
    {"service_mystery_shop", "quality.no_new_damage", "取车后发现左前门有新划痕"},
    {"service_mystery_shop", "follow_up", "No follow-up call within three days"},
    {"service_mystery_shop", "follow_up", "三天内未回访"},
    {"service_mystery_shop", "follow_up.issue_handled",
     "Complaint made in the follow-up call was not passed on"},
    /* telephone */
    {"phone_handling", "", "See the call recording"},
    {"phone_handling", "answer.greeting", "Answered with a plain hello, no dealer or own name"},
    {"phone_handling", "answer.greeting", "接听时未报店名和姓名"},
    {"phone_handling", "answer.three_rings", "Rang seven times before it was answered"},
    {"phone_handling", "answer.three_rings", "电话响铃超过6声才接听"},
    {"phone_handling", "answer.hold", "On hold for over two minutes without explanation"},
    {"phone_handling", "conversation", "Sounded bored and spoke too fast"},
    {"phone_handling", "conversation", "语气平淡，缺乏热情"},
    {"phone_handling", "conversation.information", "Gave the wrong price for the 2.0T version"},
    {"phone_handling", "conversation.information", "保养价格信息不准确"},
    {"phone_handling", "conversation.no_refusal", "Said we don't do that and changed the subject"},
    {"phone_handling", "closing", "Call ended without an appointment or a number taken"},
    {"phone_handling", "closing", "结束通话时未确认回电方式"},
    {"phone_handling", "callback", "Promised call-back never came"},
    {"phone_handling", "callback", "承诺回电但一直未回电"},
    {"phone_handling", "callback.material_sent", "Brochure promised by WeChat never sent"},
    /* complaints */
    {"complaint_handling", "", "Customer left visibly dissatisfied"},
    {"complaint_handling", "listen", "Interrupted the customer several times"},
    {"complaint_handling", "listen", "没有表示理解和歉意"},
    {"complaint_handling", "listen.stays_calm", "Raised his voice when the customer repeated the problem"},
    {"complaint_handling", "listen.stays_calm", "与顾客争辩，情绪激动"},
    {"complaint_handling", "resolve", "Solution not agreed with the customer"},
    {"complaint_handling", "resolve", "处理方案未征得顾客同意"},
    {"complaint_handling", "resolve.solution", "No concrete solution offered, only we will see"},
    {"complaint_handling", "resolve.solution", "没有给出具体解决方案"},
    {"complaint_handling", "resolve.ownership", "Blamed the workshop, said it was not his job"},
    {"complaint_handling", "resolve.recorded", "Complaint not entered in the DMS"},
    {"complaint_handling", "resolve.escalates", "Did not involve the service manager although asked"},
    {"complaint_handling", "follow_up", "No call within a week"},
    {"complaint_handling", "follow_up", "一周内未回访"},
    {"complaint_handling", "follow_up.promise_kept", "Promised refund not paid within the week"},
    {"complaint_handling", "follow_up.closed", "未经顾客确认即结案"},
};
#define N_NOTES (sizeof NOTES / sizeof NOTES[0])

/* A note for item @p item of checklist @p cl: one of the notes with the
 * longest matching prefix ("" matches every item of the checklist). */
static const char *pick_note(const char *cl, const char *item)
{
    size_t best = 0, n = 0;
    const char *cand[16];
    for (size_t i = 0; i < N_NOTES; i++) {
        const note_def *nd = &NOTES[i];
        size_t len = strlen(nd->prefix);
        if (strcmp(nd->checklist, cl) != 0 || strncmp(nd->prefix, item, len) != 0)
            continue;
        if (len && item[len] != '.' && item[len] != '\0')
            continue;
        if (n && len < best)
            continue;
        if (!n || len > best) {
            best = len;
            n = 0;
        }
        if (n < sizeof cand / sizeof cand[0])
            cand[n++] = nd->text;
    }
    return n ? cand[pick((unsigned)n)] : "Observed by the auditor";
}

/* ---- output -------------------------------------------------------------- */

static const char *outdir;

static void die(const char *fmt, const char *arg, const sva_diag *d)
{
    fprintf(stderr, "gen_demo: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    char buf[1024];
    for (size_t i = 0; d && i < d->n; i++) {
        sva_diag_format(d, i, buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
    exit(3);
}

static void make_dir(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        die("path too long: %s", path, NULL);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                die("cannot create folder %s", buf, NULL);
            *p = c;
            if (!c)
                break;
        }
    }
}

static FILE *open_out(const char *rel, char *path, size_t size)
{
    if (snprintf(path, size, "%s/%s", outdir, rel) >= (int)size)
        die("path too long: %s", rel, NULL);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s", path, NULL);
    return f;
}

static void close_out(FILE *f, const char *path)
{
    if (ferror(f) | fclose(f))
        die("cannot write %s", path, NULL);
}

static void write_stores(void)
{
    char path[4096];
    FILE *f = open_out("stores.csv", path, sizeof path);
    fputs("id,name,region\n", f);
    for (size_t s = 0; s < N_STORES; s++)
        fprintf(f, "%s,%s,%s\n", STORES[s].id, STORES[s].name, STORES[s].region);
    close_out(f, path);
}

static void make_employees(employee *emp)
{
    for (size_t i = 0; i < N_EMPLOYEES; i++) {
        employee *e = &emp[i];
        e->store = i / EMP_PER_STORE;
        snprintf(e->id, sizeof e->id, "%s-E%02zu", STORES[e->store].id, i % EMP_PER_STORE + 1);
        e->name = NAMES[i];
        e->role = ROLES[i % EMP_PER_STORE];
        e->skill = urand() * 0.18 - 0.11; /* -0.11 .. +0.07 */
    }
}

static void write_employees(const employee *emp)
{
    char path[4096];
    FILE *f = open_out("employees.csv", path, sizeof path);
    fputs("id,name,store,role\n", f);
    for (size_t i = 0; i < N_EMPLOYEES; i++)
        fprintf(f, "%s,%s,%s,%s\n", emp[i].id, emp[i].name, STORES[emp[i].store].id, emp[i].role);
    close_out(f, path);
}

static void write_cycles(void)
{
    char path[4096];
    FILE *f = open_out("cycles.txt", path, sizeof path);
    for (size_t c = 0; c < N_CYCLES; c++)
        fprintf(f, "%s %s %s\n", CYCLES[c].id, CYCLES[c].from, CYCLES[c].to);
    close_out(f, path);
}

/* ---- answers -------------------------------------------------------------- */

/* A passing value (half the scale or more), nearer the top the better @p q. */
static int pass_value(const sva_item *it, double q)
{
    int max = it->scale.max, min = (max + 1) / 2, v = max;
    while (v > min && urand() > q)
        v--;
    return v;
}

/* A failing value (below half the scale), mostly just below. */
static int fail_value(const sva_item *it)
{
    int top = (it->scale.max + 1) / 2 - 1; /* 0 for yes/no */
    return urand() < 0.65 ? top : irange(0, top);
}

typedef struct gen_stats {
    size_t sheets, failed_critical, notes, na, per_checklist[8];
} gen_stats;

typedef struct audit_spec {
    const sva_checklist *cl;
    size_t store, cycle;
    const employee *emp;  /* NULL for a store checklist */
    const char *auditor;
    char date[32];
    double q;             /* pass probability of an average item */
    long crit_item;       /* the critical item that fails, or -1 */
} audit_spec;

static unsigned photo_no[N_STORES]; /* the next IMG_NNNN of each store's camera */

/* Fill @p a (cl->n_items) for one audit; notes and evidence point into @p ev
 * (n_items x 64 bytes) or into the static note table. */
static void gen_answers(const audit_spec *sp, sva_answer *a, char (*ev)[64])
{
    const sva_checklist *cl = sp->cl;
    const char *store = STORES[sp->store].id;
    bool *skip = calloc(cl->n_sections, sizeof *skip);
    if (!skip)
        die("%s", "out of memory", NULL);
    for (size_t i = 0; i < cl->n_items; i++) {
        const sva_item *it = &cl->items[i];
        sva_answer *an = &a[i];
        memset(an, 0, sizeof *an);
        an->answered = true;
        bool fails = false;
        if (it->na && (skip[it->section] || urand() < 0.10)) {
            an->na = true; /* e.g. no test drive offered: its steps are N/A */
            continue;
        }
        if (it->critical) {
            fails = (long)i == sp->crit_item;
            if (fails)
                skip[it->section] = true;
        } else {
            double diff = (double)(fnv(cl->id, it->id) % 1000) / 1000.0 * 0.20 - 0.13;
            fails = urand() >= clamp(sp->q + diff, 0.05, 0.985);
        }
        an->value = fails ? fail_value(it) : pass_value(it, sp->q);
        bool need = it->evidence == SVA_EVIDENCE_ALWAYS ||
                    (it->evidence == SVA_EVIDENCE_ON_FAIL && fails);
        if (!need && !(fails && urand() < 0.25))
            continue;
        an->note = (char *)pick_note(cl->id, it->id);
        bool photo = (long)i == sp->crit_item || urand() < 0.4;
        if (!photo || strcmp(cl->id, "complaint_handling") == 0)
            continue;
        if (strcmp(cl->id, "phone_handling") == 0)
            snprintf(ev[i], sizeof ev[i], "recordings/%s/call-%s.m4a", store, sp->date);
        else
            snprintf(ev[i], sizeof ev[i], "photos/%s/IMG_%04u.jpg", store,
                     photo_no[sp->store]++);
        an->evidence = ev[i];
    }
    free(skip);
}

/* Write sheet number @p no for @p sp; check it reads back and validates. */
static void write_sheet(const audit_spec *sp, unsigned no, FILE *index, gen_stats *st)
{
    const sva_checklist *cl = sp->cl;
    sva_answer *a = calloc(cl->n_items, sizeof *a);
    char(*ev)[64] = calloc(cl->n_items, sizeof *ev);
    if (!a || !ev)
        die("%s", "out of memory", NULL);
    gen_answers(sp, a, ev);

    sva_sheet_header h = {0};
    h.checklist = cl->id;
    h.version = cl->version;
    h.store = (char *)STORES[sp->store].id;
    h.employee = sp->emp ? (char *)sp->emp->id : NULL;
    h.cycle = (char *)CYCLES[sp->cycle].id;
    h.auditor = (char *)sp->auditor;
    h.date = (char *)sp->date;
    char *text = NULL;
    sva_error rc = sva_sheet_write(cl, SVA_SHEET_INI, NULL, &h, a, &text);
    if (rc)
        die("cannot write a sheet: %s", sva_strerror(rc), NULL);

    char rel[64], path[4096];
    snprintf(rel, sizeof rel, "sheets/%04u.ini", no);
    sva_diag d;
    sva_diag_init(&d);
    sva_sheet *back = NULL;
    if (sva_sheet_parse(rel, text, strlen(text), cl, &back, &d))
        die("%s does not read back as a sheet", rel, &d);
    sva_audit_header ah;
    sva_audit_header_merge(&ah, NULL, &back->header, rel);
    const sva_audit_ready *ready = NULL;
    if (sva_audit_prepare_sheet(&ah, back, &ready, &d))
        die("%s does not read back as a valid audit", rel, &d);
    st->failed_critical += ready->score.failed;
    st->na += ready->score.n_na;
    sva_audit_ready_free(ready);
    sva_sheet_free(back);

    FILE *f = open_out(rel, path, sizeof path);
    fputs(text, f);
    close_out(f, path);
    fprintf(index, "%s %s\n", rel, cl->id);
    for (size_t i = 0; i < cl->n_items; i++)
        st->notes += a[i].note != NULL;
    st->sheets++;
    free(text);
    free(ev);
    free(a);
}

/* ---- the audits of one cycle ---------------------------------------------- */

enum { CL_6S, CL_SALES, CL_SERVICE, CL_PHONE, CL_COMPLAINT, N_CL };
static const char *const CL_IDS[N_CL] = {"6s_store", "sales_mystery_shop", "service_mystery_shop",
                                         "phone_handling", "complaint_handling"};

/* The store's quality in cycle @p c. */
static double store_q(size_t s, size_t c)
{
    const store_def *sd = &STORES[s];
    return sd->base + sd->slope * (double)c + (c + 1 == N_CYCLES ? sd->jump : 0.0);
}

/* Decide whether this audit has a failed critical item, and which. */
static long pick_critical(const sva_checklist *cl, double q, bool forced)
{
    long crit[16];
    size_t n = 0;
    for (size_t i = 0; i < cl->n_items && n < 16; i++)
        if (cl->items[i].critical)
            crit[n++] = (long)i;
    if (forced)
        return sva_checklist_item_index(cl, DECLINE_ITEM);
    if (!n || urand() >= clamp(0.16 * (1.0 - q), 0.004, 0.10))
        return -1;
    return crit[pick((unsigned)n)];
}

/* Audit @p k of store @p s in cycle @p c (k picks the auditor); @p walk is the
 * 6S walk's number in the cycle, 0 for the first (and for other checklists):
 * only the first 6S walk of the declining store in the last cycle is forced to
 * find the blocked exit. */
static void gen_audit(const sva_checklist *cl, size_t s, size_t c, const employee *e, unsigned k,
                      unsigned *no, FILE *index, gen_stats *st, size_t which, unsigned walk)
{
    audit_spec sp = {0};
    sp.cl = cl;
    sp.store = s;
    sp.cycle = c;
    sp.emp = e;
    sp.auditor = AUDITORS[(s + c + k) % N_AUDITORS];
    snprintf(sp.date, sizeof sp.date, "%s-%02d", CYCLES[c].id, irange(2, CYCLES[c].last_day));
    double noise = (urand() + urand() - 1.0) * 0.05;
    sp.q = clamp(store_q(s, c) + (e ? e->skill : 0.0) + noise, 0.05, 0.99);
    bool forced = which == CL_6S && walk == 0 && c + 1 == N_CYCLES &&
                  strcmp(STORES[s].id, DECLINE_STORE) == 0;
    sp.crit_item = pick_critical(cl, sp.q, forced);
    write_sheet(&sp, ++*no, index, st);
    st->per_checklist[which]++;
}

/* Per store: the first 6S walk (gen_more_walks: the others), a sales shop per consultant, a service shop of the
 * advisor, a mystery call to the receptionist, and at a third of the stores a
 * complaint-handling check (the advisor one month, a consultant the next). */
static void gen_cycle(const sva_checklist *const *cls, const employee *emp, size_t c,
                      unsigned *no, FILE *index, gen_stats *st)
{
    for (size_t s = 0; s < N_STORES; s++) {
        const employee *se = &emp[s * EMP_PER_STORE];
        unsigned k = 0;
        gen_audit(cls[CL_6S], s, c, NULL, k++, no, index, st, CL_6S, 0);
        for (size_t e = E_SALES1; e <= E_SALES3; e++)
            gen_audit(cls[CL_SALES], s, c, &se[e], k++, no, index, st, CL_SALES, 0);
        gen_audit(cls[CL_SERVICE], s, c, &se[E_ADVISOR], k++, no, index, st, CL_SERVICE, 0);
        gen_audit(cls[CL_PHONE], s, c, &se[E_RECEPTION], k++, no, index, st, CL_PHONE, 0);
        if ((s + c) % 3 == 0)
            gen_audit(cls[CL_COMPLAINT], s, c, &se[c % 2 ? E_SALES1 : E_ADVISOR], k++, no, index,
                      st, CL_COMPLAINT, 0);
    }
}

/* The group's QA walks every store for 6S SIXS_WALKS times a cycle, on days
 * drawn like every audit's: a store's 6S figure is the mean of its walks, so
 * one cycle's figure can be tested against the one before (with one walk it
 * never could). The first walk is drawn with the cycle's other audits; the
 * others come after every cycle's audits, each by another auditor, from a
 * stream of their own (SIXS_SEED), so they move no other sheet's draws. The
 * seed is the second tried: with the first (...D00D) Tianjin's October walks
 * happened to spread widely (one at 63.6 %) and its decline showed but was
 * not called after the correction (q 0.084); the 20 worlds from other seeds
 * (see the top of this file) say how often that happens. */
#define SIXS_WALKS 4
#define SIXS_SEED 0x65C0FFEE2026D00Eull

static void gen_more_walks(const sva_checklist *cl, unsigned *no, FILE *index, gen_stats *st)
{
    rng_state = SIXS_SEED;
    for (size_t c = 0; c < N_CYCLES; c++)
        for (size_t s = 0; s < N_STORES; s++)
            for (unsigned w = 1; w < SIXS_WALKS; w++)
                gen_audit(cl, s, c, NULL, w, no, index, st, CL_6S, w);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: gen_demo CHECKLIST_DIR OUTDIR\n", stderr);
        return 2;
    }
    outdir = argv[2];

    const char *dirs[] = {argv[1]};
    sva_catalog *cat = NULL;
    sva_diag d;
    sva_diag_init(&d);
    sva_error rc = sva_catalog_open(dirs, 1, &cat, &d);
    if (rc || d.n)
        die("cannot load the checklists in %s", argv[1], &d);
    const sva_checklist *cls[N_CL];
    for (size_t i = 0; i < N_CL; i++)
        if (!(cls[i] = sva_catalog_find(cat, CL_IDS[i])))
            die("checklist '%s' not found", CL_IDS[i], NULL);
    if (sva_checklist_item_index(cls[CL_6S], DECLINE_ITEM) < 0)
        die("6s_store has no item '%s'", DECLINE_ITEM, NULL);

    char sheets[4096];
    if (snprintf(sheets, sizeof sheets, "%s/sheets", outdir) >= (int)sizeof sheets)
        die("path too long: %s", outdir, NULL);
    make_dir(sheets);

    for (size_t s = 0; s < N_STORES; s++)
        photo_no[s] = 412 + 379 * (unsigned)s;
    employee emp[N_EMPLOYEES];
    make_employees(emp);
    write_stores();
    write_employees(emp);
    write_cycles();

    char path[4096];
    FILE *index = open_out("sheets.txt", path, sizeof path);
    gen_stats st = {0};
    unsigned no = 0;
    for (size_t c = 0; c < N_CYCLES; c++)
        gen_cycle(cls, emp, c, &no, index, &st);
    gen_more_walks(cls[CL_6S], &no, index, &st);
    close_out(index, path);

    printf("gen_demo: %zu stores, %zu employees, %zu cycles, %zu answer sheets "
           "(%zu with a failed critical item, %zu notes, %zu N/A answers)\n",
           (size_t)N_STORES, (size_t)N_EMPLOYEES, (size_t)N_CYCLES, st.sheets,
           st.failed_critical, st.notes, st.na);
    sva_catalog_free(cat);
    return 0;
}
