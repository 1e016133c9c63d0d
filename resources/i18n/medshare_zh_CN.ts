<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CameraPanel</name>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Looking for a camera…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <source>✖ No camera found. Use the scanner or type the short code.</source>
        <translation>✖ 未找到摄像头。请使用扫码枪，或输入短码。</translation>
    </message>
    <message>
        <source>(Camera support could not start: {why})</source>
        <translation>（摄像头功能无法启动：{why}）</translation>
    </message>
    <message>
        <source>Hold the slip&apos;s QR code in front of the camera.</source>
        <translation>请将领取单上的二维码对准摄像头。</translation>
    </message>
</context>
<context>
    <name>DateField</name>
    <message>
        <source>Calendar…</source>
        <translation>日历…</translation>
    </message>
    <message>
        <source>Not a whole date yet: type it as YYYY-MM-DD.</source>
        <translation>日期还不完整：请按 年年年年-月月-日日 输入。</translation>
    </message>
    <message>
        <source>There is no such date.</source>
        <translation>没有这个日期。</translation>
    </message>
    <message>
        <source>This date has passed (or is today); expired medicine cannot be taken in.</source>
        <translation>该日期已过（或就是今天）；过期药品不能接收。</translation>
    </message>
    <message>
        <source>That is too far ahead; check the date on the box.</source>
        <translation>日期太远了，请核对包装盒上的日期。</translation>
    </message>
    <message>
        <source>Good until {date}.</source>
        <translation>有效期至 {date}。</translation>
    </message>
    <message>
        <source>Type it as YYYY-MM-DD, or pick it in the calendar.</source>
        <translation>请按 年年年年-月月-日日 输入，或在日历中选择。</translation>
    </message>
</context>
<context>
    <name>DropOffScreen</name>
    <message>
        <source>Drop-off</source>
        <translation>接收捐赠</translation>
    </message>
    <message>
        <source>Drop-off: take in spare medicine</source>
        <translation>接收捐赠：登记闲置药品</translation>
    </message>
    <message>
        <source>Only sealed, unexpired boxes from the catalog. Press Enter to go to the next field.</source>
        <translation>只接收目录内、未拆封、未过期的药品。按回车键进入下一项。</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Where it came from</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>As printed on the box (optional)</source>
        <translation>按包装盒上印的填写（可不填）</translation>
    </message>
    <message>
        <source>Sealed and inspected (required)</source>
        <translation>已检查，包装完好未拆封（必选）</translation>
    </message>
    <message>
        <source>Save drop-off</source>
        <translation>保存接收记录</translation>
    </message>
    <message>
        <source>Many lots at once</source>
        <translation>批量导入</translation>
    </message>
    <message>
        <source>Import a CSV file…</source>
        <translation>导入 CSV 文件…</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>Choose the medicine first.</source>
        <translation>请先选择药品。</translation>
    </message>
    <message>
        <source>Type or pick the expiry date printed on the box.</source>
        <translation>请输入或选择包装盒上印的有效期。</translation>
    </message>
    <message>
        <source>Only sealed boxes that you have inspected can be taken in. Tick “Sealed and inspected” to confirm.</source>
        <translation>只能接收经您检查、包装完好未拆封的药品。请勾选“已检查，包装完好未拆封”确认。</translation>
    </message>
    <message>
        <source>Saved as lot {lot}: {units} of {name}, expires {expiry}.</source>
        <translation>已保存为第 {lot} 批：{name} {units}，有效期至 {expiry}。</translation>
    </message>
    <message>
        <source>Import lots</source>
        <translation>导入批次</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Checking every row of {name}…</source>
        <translation>正在逐行检查 {name}…</translation>
    </message>
    <message>
        <source>Saving {count} lots…</source>
        <translation>正在保存 {count} 个批次…</translation>
    </message>
    <message>
        <source>Imported {lots} lots of {items} items.</source>
        <translation>已导入 {items} 种药品共 {lots} 个批次。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong PIN</source>
        <translation>PIN 码错误</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>账户已锁定</translation>
    </message>
    <message>
        <source>Slip refused</source>
        <translation>领取单无效</translation>
    </message>
    <message>
        <source>Over the limit</source>
        <translation>超出限额</translation>
    </message>
    <message>
        <source>Not enough stock</source>
        <translation>库存不足</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Please check</source>
        <translation>请检查</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Newer database</source>
        <translation>数据库版本较新</translation>
    </message>
    <message>
        <source>Station not set up</source>
        <translation>站点尚未设置</translation>
    </message>
    <message>
        <source>Ledger check failed</source>
        <translation>台账校验失败</translation>
    </message>
    <message>
        <source>Sync problem</source>
        <translation>同步出现问题</translation>
    </message>
    <message>
        <source>Cannot do that</source>
        <translation>无法执行</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}); nothing that had been saved was lost. Details are in {log}.</source>
        <translation>程序出错了（{kind}）；已保存的数据没有丢失。详细信息见 {log}。</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>程序出错</translation>
    </message>
</context>
<context>
    <name>FirstAccountDialog</name>
    <message>
        <source>First account</source>
        <translation>第一个账户</translation>
    </message>
    <message>
        <source>Create the manager account</source>
        <translation>创建管理员账户</translation>
    </message>
    <message>
        <source>The first account is a manager, who can add staff accounts later. Choose a PIN of 4 to 8 digits and keep it to yourself.</source>
        <translation>第一个账户是管理员，之后可以添加工作人员账户。请设置 4 到 8 位数字的 PIN 码，并妥善保管。</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再次输入 PIN 码</translation>
    </message>
    <message>
        <source>Create account and sign in</source>
        <translation>创建账户并登录</translation>
    </message>
</context>
<context>
    <name>ItemPicker</name>
    <message>
        <source>Type part of the name (English or 中文), or scan the barcode</source>
        <translation>输入药品名称的一部分（中文或英文），或扫描条形码</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Child</source>
        <translation>儿童</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>孕妇</translation>
    </message>
    <message>
        <source>Elderly</source>
        <translation>老年人</translation>
    </message>
    <message>
        <source>Chronic illness</source>
        <translation>慢性病患者</translation>
    </message>
    <message>
        <source>No priority</source>
        <translation>无优先</translation>
    </message>
    <message>
        <source>★ Priority: {group}</source>
        <translation>★ 优先：{group}</translation>
    </message>
    <message>
        <source>Donation from a neighbour</source>
        <translation>邻居捐赠</translation>
    </message>
    <message>
        <source>Bought at a pharmacy</source>
        <translation>药店购买</translation>
    </message>
    <message>
        <source>From a hospital</source>
        <translation>医院开具</translation>
    </message>
    <message>
        <source>From a clinic</source>
        <translation>诊所开具</translation>
    </message>
    <message>
        <source>Bought online</source>
        <translation>网上购买</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation>待领取</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>已领取</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Pickup window over</source>
        <translation>领取期限已过</translation>
    </message>
    <message>
        <source>Damaged or opened</source>
        <translation>破损或已拆封</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Recalled</source>
        <translation>已召回</translation>
    </message>
    <message>
        <source>Missing from the shelf</source>
        <translation>货架上缺失</translation>
    </message>
    <message>
        <source>This is not a MedShare pickup slip.</source>
        <translation>这不是 MedShare 领取单。</translation>
    </message>
    <message>
        <source>This slip was made by a newer MedShare version.</source>
        <translation>此领取单由更新版本的 MedShare 生成。</translation>
    </message>
    <message>
        <source>The code was mistyped; check it and type it again.</source>
        <translation>代码输入有误，请核对后重新输入。</translation>
    </message>
    <message>
        <source>This slip belongs to another station.</source>
        <translation>此领取单属于其他站点。</translation>
    </message>
    <message>
        <source>This slip is not genuine: its signature does not match.</source>
        <translation>此领取单不是真的：签名不符。</translation>
    </message>
    <message>
        <source>A slip number alone is not enough; scan the QR code or type the short code.</source>
        <translation>只有单号不够，请扫描二维码或输入短码。</translation>
    </message>
    <message>
        <source>This station has no such slip.</source>
        <translation>本站点没有这张领取单。</translation>
    </message>
    <message>
        <source>This slip has already been collected.</source>
        <translation>此领取单已经领取过了。</translation>
    </message>
    <message>
        <source>This slip was cancelled.</source>
        <translation>此领取单已取消。</translation>
    </message>
    <message>
        <source>The pickup window of this slip is over.</source>
        <translation>此领取单的领取期限已过。</translation>
    </message>
    <message>
        <source>The medicine for this slip was released back to stock.</source>
        <translation>此领取单预留的药品已退回库存。</translation>
    </message>
    <message>
        <source>The reserved medicine has expired or was recalled.</source>
        <translation>预留的药品已过期或被召回。</translation>
    </message>
    <message>
        <source>Nothing was scanned or typed.</source>
        <translation>没有扫描或输入任何内容。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>MedShare — staff desk</source>
        <translation>MedShare — 工作人员服务台</translation>
    </message>
    <message>
        <source>Drop-off</source>
        <translation>接收捐赠</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>需求登记</translation>
    </message>
    <message>
        <source>Match and print</source>
        <translation>配药与打印</translation>
    </message>
    <message>
        <source>Pickup</source>
        <translation>凭单领药</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Ctrl+{number}</source>
        <translation>Ctrl+{number}</translation>
    </message>
    <message>
        <source>Switch the language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>Large text</source>
        <translation>大字体</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>MatchScreen</name>
    <message>
        <source>Match and print</source>
        <translation>配药与打印</translation>
    </message>
    <message>
        <source>Match requests to stock</source>
        <translation>为登记需求配药</translation>
    </message>
    <message>
        <source>Stock is reserved first-expiry-first-out; expired or recalled lots are never used. Priority groups are served first.</source>
        <translation>按“先到期先出”预留库存；绝不使用过期或被召回的批次。优先人群先配。</translation>
    </message>
    <message>
        <source>Match the next request</source>
        <translation>为下一个需求配药</translation>
    </message>
    <message>
        <source>Match all waiting requests</source>
        <translation>为所有等待中的需求配药</translation>
    </message>
    <message>
        <source>Ready for pickup</source>
        <translation>待领取</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>需求</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Lots to take from the shelf</source>
        <translation>从货架上取的批次</translation>
    </message>
    <message>
        <source>Slip</source>
        <translation>领取单</translation>
    </message>
    <message>
        <source>Short code</source>
        <translation>短码</translation>
    </message>
    <message>
        <source>Print a slip</source>
        <translation>打印领取单</translation>
    </message>
    <message>
        <source>Re-print a lost slip:</source>
        <translation>补打丢失的领取单：</translation>
    </message>
    <message>
        <source>slip number, short code or scan</source>
        <translation>单号、短码或扫码</translation>
    </message>
    <message>
        <source>Find slip</source>
        <translation>查找领取单</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>80 mm receipt</source>
        <translation>80 毫米小票</translation>
    </message>
    <message>
        <source>58 mm receipt</source>
        <translation>58 毫米小票</translation>
    </message>
    <message>
        <source>A6 label</source>
        <translation>A6 标签</translation>
    </message>
    <message>
        <source>Nothing could be matched: no waiting request has enough stock.</source>
        <translation>无法配药：没有库存足够的等待中需求。</translation>
    </message>
    <message>
        <source>request {number}: {units} of {name} from {lots}</source>
        <translation>需求 {number}：{name} {units}，取自 {lots}</translation>
    </message>
    <message>
        <source>Matched {count}: {list}.</source>
        <translation>已配药 {count} 个：{list}。</translation>
    </message>
    <message>
        <source>lot {lot} (exp {expiry}) × {units}</source>
        <translation>批号 {lot}（有效期至 {expiry}）× {units}</translation>
    </message>
    <message>
        <source>Slip printing is not installed on this station.</source>
        <translation>本站点未安装领取单打印功能。</translation>
    </message>
    <message>
        <source>Choose a row above, or find a slip, to print it.</source>
        <translation>请在上方选择一行，或查找领取单，然后打印。</translation>
    </message>
    <message>
        <source>Slip {slip} ({code}): {units} of {name}; status: {status}.</source>
        <translation>领取单 {slip}（{code}）：{name} {units}；状态：{status}。</translation>
    </message>
    <message>
        <source>Save the slip as PDF</source>
        <translation>将领取单另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved {path}.</source>
        <translation>已保存 {path}。</translation>
    </message>
</context>
<context>
    <name>PickupScreen</name>
    <message>
        <source>Pickup</source>
        <translation>凭单领药</translation>
    </message>
    <message>
        <source>Pickup: hand over against a slip</source>
        <translation>凭单领药：核对领取单后发药</translation>
    </message>
    <message>
        <source>Scan the QR code on the slip. If the scanner fails, type the short code printed under it.</source>
        <translation>请扫描领取单上的二维码。扫码失败时，请输入二维码下方印的短码。</translation>
    </message>
    <message>
        <source>Scan here (this field keeps the focus)</source>
        <translation>在此扫码（光标始终停在这里）</translation>
    </message>
    <message>
        <source>Waiting for a scan…</source>
        <translation>等待扫码…</translation>
    </message>
    <message>
        <source>Short code</source>
        <translation>短码</translation>
    </message>
    <message>
        <source>e.g. 1A3-K7M-4QX</source>
        <translation>例如 1A3-K7M-4QX</translation>
    </message>
    <message>
        <source>Check and hand over</source>
        <translation>核对并发药</translation>
    </message>
    <message>
        <source>DO NOT HAND OVER</source>
        <translation>不要发药</translation>
    </message>
    <message>
        <source>Checking the slip…</source>
        <translation>正在核对领取单…</translation>
    </message>
    <message>
        <source>Scan a slip to see what to hand over.</source>
        <translation>扫描领取单，查看应发放的药品。</translation>
    </message>
    <message>
        <source>HAND OVER</source>
        <translation>可以发药</translation>
    </message>
    <message>
        <source>{units} of {name}</source>
        <translation>{name} {units}</translation>
    </message>
    <message>
        <source>{units} from lot {lot} (expires {expiry})</source>
        <translation>批号 {lot} 取 {units}（有效期至 {expiry}）</translation>
    </message>
    <message>
        <source>Slip {slip}, request {request}</source>
        <translation>领取单 {slip}，需求 {request}</translation>
    </message>
</context>
<context>
    <name>RequestsScreen</name>
    <message>
        <source>Requests</source>
        <translation>需求登记</translation>
    </message>
    <message>
        <source>Log a request</source>
        <translation>登记需求</translation>
    </message>
    <message>
        <source>For a walk-in or a caller. The phone number is kept only masked; a number that asks again and again is flagged.</source>
        <translation>为到场或来电的居民登记。电话号码只保存打码后的形式；反复申请的号码会被标记。</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>People in household</source>
        <translation>家庭人数</translation>
    </message>
    <message>
        <source>Priority group</source>
        <translation>优先人群</translation>
    </message>
    <message>
        <source>Phone (optional)</source>
        <translation>电话（可不填）</translation>
    </message>
    <message>
        <source>Resident&apos;s language</source>
        <translation>居民使用的语言</translation>
    </message>
    <message>
        <source>e.g. 138 1234 5678</source>
        <translation>例如 138 1234 5678</translation>
    </message>
    <message>
        <source>Log request</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Queue, in serving order</source>
        <translation>排队情况（按服务顺序）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭人数</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Cancel the selected request</source>
        <translation>取消所选需求</translation>
    </message>
    <message>
        <source>Choose the medicine first.</source>
        <translation>请先选择药品。</translation>
    </message>
    <message>
        <source>Request {number} logged: {units} of {name}.</source>
        <translation>已登记需求 {number}：{name} {units}。</translation>
    </message>
    <message>
        <source>⚠ Flagged for staff: {flag}.</source>
        <translation>⚠ 已标记，请工作人员注意：{flag}。</translation>
    </message>
    <message>
        <source>Select a request in the queue first.</source>
        <translation>请先在队列中选择一个需求。</translation>
    </message>
    <message>
        <source>Request {number} cancelled.</source>
        <translation>需求 {number} 已取消。</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in to the desk</source>
        <translation>登录服务台</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>4 to 8 digits</source>
        <translation>4 到 8 位数字</translation>
    </message>
    <message>
        <source>Demo station: sign in as “{name}” with PIN {pin}. Nothing here is real.</source>
        <translation>演示站点：请以“{name}”登录，PIN 码 {pin}。这里的数据都不是真实的。</translation>
    </message>
    <message>
        <source>Opening the station…</source>
        <translation>正在打开站点…</translation>
    </message>
    <message>
        <source>There is no account yet.</source>
        <translation>还没有账户。</translation>
    </message>
    <message>
        <source>That PIN is not right. Tries left before the account locks: {left}.</source>
        <translation>PIN 码不正确。账户锁定前还可尝试 {left} 次。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: this account is locked until {time}. Wait, or ask a manager to reset the PIN.</source>
        <translation>PIN 码错误次数过多：此账户已锁定至 {time}。请稍候，或请管理员重置 PIN 码。</translation>
    </message>
</context>
<context>
    <name>StationSetupDialog</name>
    <message>
        <source>Set up this station</source>
        <translation>设置本站点</translation>
    </message>
    <message>
        <source>Welcome to MedShare</source>
        <translation>欢迎使用 MedShare</translation>
    </message>
    <message>
        <source>This computer has no station yet. Give it a short code (letters and digits, for example HX01), a name residents know, and the address.</source>
        <translation>这台电脑还没有设置站点。请填写站点代码（字母和数字，例如 HX01）、居民熟悉的名称和地址。</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>站点代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Set up the station</source>
        <translation>设置站点</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Sync: not enrolled</source>
        <translation>同步：尚未注册</translation>
    </message>
    <message>
        <source>● online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <source>○ offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Sync: {state} · last sync {last} · {count} waiting to send</source>
        <translation>同步：{state} · 上次同步 {last} · {count} 条待发送</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>已登录：{name}（{role}）</translation>
    </message>
</context>
<context>
    <name>StockScreen</name>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Stock on the shelf</source>
        <translation>货架库存</translation>
    </message>
    <message>
        <source>⊘ marks expired or recalled stock (never handed over), ⚠ stock that expires within 30 days. Choose an item to see its lots.</source>
        <translation>⊘ 表示已过期或被召回的库存（绝不发放），⚠ 表示 30 天内到期的库存。选择一种药品可查看其批次。</translation>
    </message>
    <message>
        <source>Write off all expired lots</source>
        <translation>报废所有过期批次</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Earliest expiry</source>
        <translation>最早到期</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>The selected lot</source>
        <translation>所选批次</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Write off</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Counted on the shelf</source>
        <translation>货架实点数量</translation>
    </message>
    <message>
        <source>Record count</source>
        <translation>记录盘点</translation>
    </message>
    <message>
        <source>⊘ {units} expired or recalled</source>
        <translation>⊘ {units} 个已过期或被召回</translation>
    </message>
    <message>
        <source>⚠ {units} expire within 30 days</source>
        <translation>⚠ {units} 个将在 30 天内到期</translation>
    </message>
    <message>
        <source>✔ OK</source>
        <translation>✔ 正常</translation>
    </message>
    <message>
        <source>⊘ Recalled</source>
        <translation>⊘ 已召回</translation>
    </message>
    <message>
        <source>⊘ Expired</source>
        <translation>⊘ 已过期</translation>
    </message>
    <message>
        <source>⚠ Expires soon</source>
        <translation>⚠ 即将到期</translation>
    </message>
    <message>
        <source>Lots of {name}</source>
        <translation>{name} 的批次</translation>
    </message>
    <message>
        <source>Lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Wrote off {units} units of lot {lot} ({reason}).</source>
        <translation>已报废第 {lot} 批 {units} 个（{reason}）。</translation>
    </message>
    <message>
        <source>Lot {lot}: {counted} counted, the ledger agrees.</source>
        <translation>第 {lot} 批：实点 {counted}，与台账一致。</translation>
    </message>
    <message>
        <source>Lot {lot}: {counted} counted; recorded an adjustment of {change:+d}.</source>
        <translation>第 {lot} 批：实点 {counted}；已记录调整 {change:+d}。</translation>
    </message>
    <message>
        <source>No expired lot was on the shelf.</source>
        <translation>货架上没有过期批次。</translation>
    </message>
    <message>
        <source>Wrote off {lots} expired lots ({units} units).</source>
        <translation>已报废 {lots} 个过期批次（共 {units} 个）。</translation>
    </message>
</context>
</TS>
