<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountsScreen</name>
    <message>
        <source>Staff accounts</source>
        <translation>员工账户</translation>
    </message>
    <message>
        <source>Choose an account to reset its PIN, change its role or disable it. A disabled account cannot sign in; its name stays in the ledger. There is always at least one active manager.</source>
        <translation>选择一个账户以重置 PIN 码、更改角色或停用。停用的账户无法登录，其名字仍保留在台账中。始终至少保留一名在用的管理员。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <source>The selected account</source>
        <translation>所选账户</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新 PIN 码</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再次输入 PIN 码</translation>
    </message>
    <message>
        <source>4 to 8 digits</source>
        <translation>4 到 8 位数字</translation>
    </message>
    <message>
        <source>Reset PIN</source>
        <translation>重置 PIN 码</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>新增账户</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>新增账户</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>New PIN set for {name}; a lock, if any, is lifted.</source>
        <translation>已为 {name} 设置新 PIN 码；如有锁定已解除。</translation>
    </message>
    <message>
        <source>{name} is now: {role}.</source>
        <translation>{name} 现在的角色：{role}。</translation>
    </message>
    <message>
        <source>{name} can sign in again.</source>
        <translation>{name} 可以再次登录。</translation>
    </message>
    <message>
        <source>{name} is disabled and cannot sign in.</source>
        <translation>{name} 已停用，无法登录。</translation>
    </message>
    <message>
        <source>Added {name} ({role}).</source>
        <translation>已新增 {name}（{role}）。</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>已预留</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>Handed over</source>
        <translation>已发放</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Written off</source>
        <translation>报损</translation>
    </message>
    <message>
        <source>Count adjusted</source>
        <translation>盘点调整</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>The movement ledger</source>
        <translation>库存变动台账</translation>
    </message>
    <message>
        <source>Every movement of stock, newest first. Nothing here can be changed: a mistake is corrected by a new movement. Dates are UTC days; leave a field empty to match all.</source>
        <translation>每一笔库存变动，最新的在前。这里的记录不能修改：错误以一笔新的变动更正。日期为 UTC 日；留空表示不限。</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>From (YYYY-MM-DD)</source>
        <translation>起始日（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>To (YYYY-MM-DD)</source>
        <translation>截止日（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>需求</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Verify ledger</source>
        <translation>校验台账</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
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
        <source>Reason · staff</source>
        <translation>原因 · 经办人</translation>
    </message>
    <message>
        <source>All medicines</source>
        <translation>全部药品</translation>
    </message>
    <message>
        <source>The first day is not a real date (YYYY-MM-DD).</source>
        <translation>起始日不是有效日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>The last day is not a real date (YYYY-MM-DD).</source>
        <translation>截止日不是有效日期（YYYY-MM-DD）。</translation>
    </message>
    <message>
        <source>A request number is digits only.</source>
        <translation>需求编号只能是数字。</translation>
    </message>
    <message>
        <source>{count} movements</source>
        <translation>{count} 笔变动</translation>
    </message>
    <message>
        <source>Checking the whole ledger…</source>
        <translation>正在校验整个台账…</translation>
    </message>
    <message>
        <source>This is a TRAINING station: it honours MEDSHARE_NOW, and no real station accepts its slips.</source>
        <translation>这是培训站（TRAINING）：它采用 MEDSHARE_NOW 设定的时间，其领取单不被任何正式站点受理。</translation>
    </message>
    <message>
        <source>The ledger is sound: the file is intact, the chain of {movements} movements is unbroken and the balances of {lots} lots add up.</source>
        <translation>台账完好：文件完整，{movements} 笔变动的链条没有断裂，{lots} 个批次的结余全部相符。</translation>
    </message>
    <message>
        <source>Ledger head: {movements} movements, {head} (print or note it: it proves later what the ledger held today).</source>
        <translation>账本链头：{movements} 条记录，{head}（请打印或记下：日后可证明账本今天的内容）。</translation>
    </message>
    <message>
        <source>The ledger check found problems: {problems}</source>
        <translation>台账校验发现问题：{problems}</translation>
    </message>
</context>
<context>
    <name>AvailablePage</name>
    <message>
        <source>What is available</source>
        <translation>现有药品</translation>
    </message>
    <message>
        <source>Search by name (English or 中文)</source>
        <translation>按名称搜索（中文或英文）</translation>
    </message>
    <message>
        <source>Touch a medicine to see how much is here and which stations nearby have it.</source>
        <translation>点一种药品，查看本站有多少，以及附近哪些站点有。</translation>
    </message>
    <message>
        <source>Other stations nearby</source>
        <translation>附近其他站点</translation>
    </message>
    <message>
        <source>Ask for this medicine</source>
        <translation>申请这种药品</translation>
    </message>
    <message>
        <source>Here now: {units}</source>
        <translation>本站现有：{units}</translation>
    </message>
    <message>
        <source>None here right now. You can still ask for it: you join the queue and staff call you when some comes in.</source>
        <translation>本站暂时没有。您仍可以申请：登记排队后，有药时工作人员会联系您。</translation>
    </message>
    <message>
        <source>Nearby stations cannot be shown right now.</source>
        <translation>暂时无法显示附近站点。</translation>
    </message>
    <message>
        <source>Looking…</source>
        <translation>正在查找…</translation>
    </message>
    <message>
        <source>No other station nearby has told us it has this medicine.</source>
        <translation>附近还没有其他站点报告有这种药品。</translation>
    </message>
    <message>
        <source>distance unknown</source>
        <translation>距离未知</translation>
    </message>
    <message>
        <source>{km} km away</source>
        <translation>距离 {km} 公里</translation>
    </message>
    <message>
        <source>Open: {hours}</source>
        <translation>开放时间：{hours}</translation>
    </message>
    <message>
        <source>Has {units}</source>
        <translation>现有 {units}</translation>
    </message>
</context>
<context>
    <name>BackupsScreen</name>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Save a copy to…</source>
        <translation>另存一份到…</translation>
    </message>
    <message>
        <source>Check the selected backup</source>
        <translation>检查所选备份</translation>
    </message>
    <message>
        <source>Restore the selected backup…</source>
        <translation>恢复所选备份…</translation>
    </message>
    <message>
        <source>Restore from a file…</source>
        <translation>从文件恢复…</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Ledger head</source>
        <translation>账本链头</translation>
    </message>
    <message>
        <source>Automatic backups</source>
        <translation>自动备份</translation>
    </message>
    <message>
        <source>Every (hours)</source>
        <translation>间隔（小时）</translation>
    </message>
    <message>
        <source>Keep the newest</source>
        <translation>保留最新份数</translation>
    </message>
    <message>
        <source>Save schedule</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <source>Last backup: …</source>
        <translation>上次备份：…</translation>
    </message>
    <message>
        <source>Last backup: none yet</source>
        <translation>上次备份：尚无</translation>
    </message>
    <message>
        <source>Last backup: {time}</source>
        <translation>上次备份：{time}</translation>
    </message>
    <message>
        <source>A backup is taken automatically every {hours} hours while the desk is open; the newest {keep} are kept in {folder}. Copy one to a USB stick now and then.</source>
        <translation>服务台开启时每 {hours} 小时自动备份一次；最新的 {keep} 份保存在 {folder}。请不时复制一份到 U 盘。</translation>
    </message>
    <message>
        <source>Backed up to {path}.</source>
        <translation>已备份到 {path}。</translation>
    </message>
    <message>
        <source>Save a copy of the station</source>
        <translation>另存站点数据</translation>
    </message>
    <message>
        <source>Station backups (*.db)</source>
        <translation>站点备份 (*.db)</translation>
    </message>
    <message>
        <source>Saved a copy to {path}.</source>
        <translation>已另存到 {path}。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Nothing was saved. {reason}</source>
        <translation>未保存任何内容。{reason}</translation>
    </message>
    <message>
        <source>{name} cannot be restored: {problems}</source>
        <translation>{name} 无法恢复：{problems}</translation>
    </message>
    <message>
        <source>{name} is sound: the file, the ledger&apos;s chain and every balance check out.</source>
        <translation>{name} 完好：文件、台账链条和每个结余都核对无误。</translation>
    </message>
    <message>
        <source>Restore from a backup file</source>
        <translation>从备份文件恢复</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在检查 {name}…</translation>
    </message>
    <message>
        <source>Restored {name}. Sign in again to go on.</source>
        <translation>已恢复 {name}。请重新登录后继续。</translation>
    </message>
    <message>
        <source>Nothing was restored. {reason}</source>
        <translation>未恢复任何内容。{reason}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CallDialog</name>
    <message>
        <source>Call the resident</source>
        <translation>给居民回电</translation>
    </message>
    <message>
        <source>Phone number of request {number}:</source>
        <translation>第 {number} 号请求的电话号码：</translation>
    </message>
    <message>
        <source>Your name and the time were written into the audit. Do not write the number down; it is erased after the retention period.</source>
        <translation>您的名字和时间已记入审计记录。请不要抄写这个号码；保存期满后它会被删除。</translation>
    </message>
    <message>
        <source>Close</source>
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
    <name>ConfirmRestore</name>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Restore another station&apos;s backup</source>
        <translation>恢复另一个站点的备份</translation>
    </message>
    <message>
        <source>{name} is a backup of another station. This station is {here}; the backup&apos;s station is {there}. Restoring it makes this computer {there}: it keeps the backup&apos;s own enrolment (or, if it had none, needs to be enrolled), and {here}&apos;s data and enrolment stay in the replaced file kept beside it. Everyone signs in again.</source>
        <translation>{name} 是另一个站点的备份。本站点是 {here}；备份所属站点是 {there}。恢复后这台电脑将成为 {there}：它沿用备份自己的注册（如果备份没有注册，则需要重新注册），{here} 的数据和注册保留在旁边被替换下来的文件中。所有人需要重新登录。</translation>
    </message>
    <message>
        <source>Restore {there} here</source>
        <translation>在此恢复 {there}</translation>
    </message>
    <message>
        <source>Replace the station&apos;s data with {name}? Everything recorded since that backup is set aside (the current file is kept beside the restored one), and everyone signs in again.</source>
        <translation>用 {name} 替换站点数据？该备份之后记录的一切都会被搁置（当前文件保留在恢复后文件的旁边），所有人需要重新登录。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
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
    <name>DoneView</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>The receipt could not be printed. Please remember your number: {number}.</source>
        <translation>回执未能打印。请记住您的号码：{number}。</translation>
    </message>
    <message>
        <source>Printing your receipt…</source>
        <translation>正在打印回执…</translation>
    </message>
    <message>
        <source>Take your receipt from the printer.</source>
        <translation>请从打印机取走您的回执。</translation>
    </message>
    <message>
        <source>There is no receipt printer here. Please remember your number: {number}.</source>
        <translation>这里没有回执打印机。请记住您的号码：{number}。</translation>
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
        <source>Drop-off {number} from the kiosk: check the box, correct what differs, tick “Sealed and inspected” and save.</source>
        <translation>自助机登记的捐赠 {number}：请检查药品，修改不符之处，勾选“已检查，包装完好未拆封”后保存。</translation>
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
        <source>Phone key file</source>
        <translation>电话密钥文件</translation>
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
    <name>HomePage</name>
    <message>
        <source>Welcome to {station}</source>
        <translation>欢迎来到{station}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>Free medicine sharing between neighbours. Touch what you would like to do.</source>
        <translation>邻里免费分享药品。请点击您要办理的事项。</translation>
    </message>
    <message>
        <source>I need medicine</source>
        <translation>我需要药品</translation>
    </message>
    <message>
        <source>I have spare medicine</source>
        <translation>我有闲置药品</translation>
    </message>
    <message>
        <source>Scan my slip</source>
        <translation>查询领取单</translation>
    </message>
    <message>
        <source>What is available</source>
        <translation>现有药品</translation>
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
    <name>Kiosk</name>
    <message>
        <source>none here now</source>
        <translation>本站暂无</translation>
    </message>
    <message>
        <source>{units} here now</source>
        <translation>本站现有 {units}</translation>
    </message>
    <message>
        <source>TRAINING — practice only, not valid at any station</source>
        <translation>培训用（TRAINING）— 仅供练习，任何站点均不受理</translation>
    </message>
    <message>
        <source>Open: {hours}</source>
        <translation>开放时间：{hours}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>TRAINING (practice only)</source>
        <translation>培训站（TRAINING，仅供练习）</translation>
    </message>
    <message>
        <source>MedShare — resident kiosk</source>
        <translation>MedShare — 居民自助机</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Back to the start</source>
        <translation>回到首页</translation>
    </message>
    <message>
        <source>Staff: hold to leave kiosk mode</source>
        <translation>工作人员：长按以退出自助模式</translation>
    </message>
    <message>
        <source>This station is not set up yet. Please ask staff.</source>
        <translation>本站尚未设置完成，请咨询工作人员。</translation>
    </message>
    <message>
        <source>{problem}. Please ask at the desk.</source>
        <translation>{problem}。请到服务台咨询。</translation>
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
        <source>TRAINING (practice only)</source>
        <translation>培训站（TRAINING，仅供练习）</translation>
    </message>
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
        <source>Manager</source>
        <translation>管理</translation>
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
    <name>ManagerConsole</name>
    <message>
        <source>Manager</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Staff accounts</source>
        <translation>员工账户</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
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
    <name>NeedPage</name>
    <message>
        <source>Which medicine do you need?</source>
        <translation>您需要哪种药品？</translation>
    </message>
    <message>
        <source>Search by name (English or 中文)</source>
        <translation>按名称搜索（中文或英文）</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>People in your home</source>
        <translation>家中人数</translation>
    </message>
    <message>
        <source>Is it for</source>
        <translation>用药人是</translation>
    </message>
    <message>
        <source>None of these</source>
        <translation>以上都不是</translation>
    </message>
    <message>
        <source>Phone (optional)</source>
        <translation>电话（可不填）</translation>
    </message>
    <message>
        <source>So staff can call you</source>
        <translation>方便工作人员联系您</translation>
    </message>
    <message>
        <source>Staff see only its last four digits (such as *******5678); the whole number is shown only when staff call you back. It is deleted after {days} days and never leaves this station.</source>
        <translation>工作人员只看到号码的后四位（如 *******5678），只有在给您回电时才会显示完整号码。号码 {days} 天后删除，不会离开本站。</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 返回</translation>
    </message>
    <message>
        <source>Send my request</source>
        <translation>提交申请</translation>
    </message>
    <message>
        <source>Here now: {units}</source>
        <translation>本站现有：{units}</translation>
    </message>
    <message>
        <source>None here right now: you join the queue.</source>
        <translation>本站暂时没有：您将登记排队。</translation>
    </message>
    <message>
        <source>You may ask for up to {units} in 7 days for your home.</source>
        <translation>您家 7 天内最多可申请 {units}。</translation>
    </message>
    <message>
        <source>That phone number does not look right: type the whole number (7 to 15 digits), or leave it empty.</source>
        <translation>电话号码好像不对：请输入完整号码（7 到 15 位数字），或者不填。</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Sorry, the kiosk cannot take this request. You can ask for at most {allowed} of {name} in 7 days for your home, counting earlier requests. Ask for fewer, or ask the staff at the desk.</source>
        <translation>抱歉，自助机无法受理这个请求。{name} 您家 7 天内最多可以申请 {allowed}（包括之前的申请）。请少申请一些，或询问服务台的工作人员。</translation>
    </message>
    <message>
        <source>This station cannot take phone numbers right now. Leave the phone number empty, or ask the staff at the desk.</source>
        <translation>本站点暂时无法登记电话号码。请不填电话号码，或询问服务台的工作人员。</translation>
    </message>
    <message>
        <source>It is in stock. Staff will prepare it and call {phone}. You can also come to the desk after {time} with this number.</source>
        <translation>本站有货。工作人员备好药后会致电 {phone}。您也可以在 {time} 之后凭此号码到服务台领取。</translation>
    </message>
    <message>
        <source>It is in stock. Come to the desk after {time} with this number; staff will give you a pickup slip.</source>
        <translation>本站有货。请在 {time} 之后凭此号码到服务台，工作人员会给您领取单。</translation>
    </message>
    <message>
        <source>None is in stock right now, so you are in the queue (children, pregnant, elderly and chronically ill people first). Staff will call {phone} when it is ready.</source>
        <translation>本站暂时没有，您已登记排队（儿童、孕妇、老年人和慢性病患者优先）。有药时工作人员会致电 {phone}。</translation>
    </message>
    <message>
        <source>None is in stock right now, so you are in the queue (children, pregnant, elderly and chronically ill people first). Please ask at the desk after {time} with this number.</source>
        <translation>本站暂时没有，您已登记排队（儿童、孕妇、老年人和慢性病患者优先）。请在 {time} 之后凭此号码到服务台询问。</translation>
    </message>
    <message>
        <source>Medicine request</source>
        <translation>药品申请</translation>
    </message>
    <message>
        <source>No. {number}</source>
        <translation>第 {number} 号</translation>
    </message>
    <message>
        <source>What happens next</source>
        <translation>接下来</translation>
    </message>
    <message>
        <source>Free of charge — not for sale</source>
        <translation>免费领取，禁止转售</translation>
    </message>
    <message>
        <source>Your request number</source>
        <translation>您的登记号</translation>
    </message>
</context>
<context>
    <name>PendingDropOffs</name>
    <message>
        <source>Pending drop-offs (registered at the kiosk)</source>
        <translation>待接收的捐赠（自助机登记）</translation>
    </message>
    <message>
        <source>Check this box in</source>
        <translation>核验并接收</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Why it cannot be taken in</source>
        <translation>不能接收的原因</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>不予接收</translation>
    </message>
    <message>
        <source>No. {number} · {units} of {name} · expires {expiry} · {since}</source>
        <translation>第 {number} 号 · {name} {units} · 有效期至 {expiry} · {since}</translation>
    </message>
    <message>
        <source>None waiting.</source>
        <translation>没有待接收的捐赠。</translation>
    </message>
    <message>
        <source>Select a drop-off in the list first.</source>
        <translation>请先在列表中选择一项捐赠。</translation>
    </message>
    <message>
        <source>Say why it cannot be taken in.</source>
        <translation>请说明不能接收的原因。</translation>
    </message>
    <message>
        <source>Drop-off {number} declined.</source>
        <translation>捐赠 {number} 已不予接收。</translation>
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
    <name>ReportsScreen</name>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Last {days} days</source>
        <translation>最近 {days} 天</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Fulfilment: of the requests made in the period, the share collected so far. Wait: from the request to the hand-over. Days are UTC days.</source>
        <translation>满足率：本时段内提出的需求中，目前已领取的比例。等待时间：从提出需求到发放。日期为 UTC 日。</translation>
    </message>
    <message>
        <source>Activity per day</source>
        <translation>每日动态</translation>
    </message>
    <message>
        <source>Top items</source>
        <translation>热门药品</translation>
    </message>
    <message>
        <source>Stock by item</source>
        <translation>各药品库存</translation>
    </message>
    <message>
        <source>Expiring in 30 days</source>
        <translation>30 天内到期</translation>
    </message>
    <message>
        <source>Export activity (CSV)…</source>
        <translation>导出每日动态（CSV）…</translation>
    </message>
    <message>
        <source>Export top requested (CSV)…</source>
        <translation>导出需求最多（CSV）…</translation>
    </message>
    <message>
        <source>Export top donated (CSV)…</source>
        <translation>导出捐赠最多（CSV）…</translation>
    </message>
    <message>
        <source>Export stock (CSV)…</source>
        <translation>导出库存（CSV）…</translation>
    </message>
    <message>
        <source>Export expiring (CSV)…</source>
        <translation>导出即将到期（CSV）…</translation>
    </message>
    <message>
        <source>Export fulfilment (CSV)…</source>
        <translation>导出满足率（CSV）…</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>需求</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>已领取</translation>
    </message>
    <message>
        <source>Written off</source>
        <translation>报损</translation>
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
        <source>Expired or recalled</source>
        <translation>过期或召回</translation>
    </message>
    <message>
        <source>Earliest expiry</source>
        <translation>最早到期</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Top requested (units)</source>
        <translation>需求最多（数量）</translation>
    </message>
    <message>
        <source>Top donated (units)</source>
        <translation>捐赠最多（数量）</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 小时</translation>
    </message>
    <message>
        <source>Fulfilment {rate} · {requests} requests, {collected} collected, {cancelled} cancelled, {waiting} waiting · median wait {wait}</source>
        <translation>满足率 {rate} · 需求 {requests} 条，已领取 {collected}，已取消 {cancelled}，等待中 {waiting} · 等待时间中位数 {wait}</translation>
    </message>
    <message>
        <source>Units per day</source>
        <translation>每日数量</translation>
    </message>
    <message>
        <source>none in this period</source>
        <translation>本时段没有</translation>
    </message>
    <message>
        <source>Export a report</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Saved {rows} rows to {path}.</source>
        <translation>已将 {rows} 行保存到 {path}。</translation>
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
        <source>For a walk-in or a caller. The queue shows only the last 4 digits of a phone number; &quot;Call&quot; shows the whole number and writes your name into the audit. A number that asks again and again is flagged.</source>
        <translation>用于到场或来电的居民。队列中只显示电话号码的后 4 位；“回电”会显示完整号码，并把您的名字记入审计记录。反复申请的号码会被标记。</translation>
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
        <source>Why it is right for this person (e.g. she is 14; checked with the pharmacist)</source>
        <translation>说明为何此人可以使用（例如：她14岁，已咨询药师）</translation>
    </message>
    <message>
        <source>Log anyway (staff override)</source>
        <translation>仍然登记（工作人员破例）</translation>
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
        <source>Call…</source>
        <translation>回电…</translation>
    </message>
    <message>
        <source>Show the selected request&apos;s phone number to call the resident back (written into the audit)</source>
        <translation>显示所选请求的电话号码，以便给居民回电（会记入审计记录）</translation>
    </message>
    <message>
        <source>Choose the medicine first.</source>
        <translation>请先选择药品。</translation>
    </message>
    <message>
        <source>Type the reason for the override first; the audit records it with your name.</source>
        <translation>请先填写破例原因；审计记录会连同您的名字一起保存。</translation>
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
        <source>Safety override recorded in the audit: {reason}.</source>
        <translation>安全规则破例已记入审计：{reason}。</translation>
    </message>
    <message>
        <source>To log it anyway, type why it is right for this person and press “Log anyway”; the audit records it with your name.</source>
        <translation>如仍要登记，请填写此人可以使用的理由并按“仍然登记”；审计记录会连同您的名字一起保存。</translation>
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
    <name>SettingsScreen</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Station profile (shared with nearby stations)</source>
        <translation>站点资料（与附近站点共享）</translation>
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
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>开放时间</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>for example 31.2304</source>
        <translation>例如 31.2304</translation>
    </message>
    <message>
        <source>for example 121.4737</source>
        <translation>例如 121.4737</translation>
    </message>
    <message>
        <source>for example Mon-Sat 9:00-17:00</source>
        <translation>例如 周一至周六 9:00-17:00</translation>
    </message>
    <message>
        <source>Days then times: Mon-Sat 9:00-17:00, or Mon-Fri 9-12, 14-18; Sat 9-12. Pickup slips tell residents to come and collect within these hours.</source>
        <translation>先写日期再写时间：周一至周六 9:00-17:00，或 周一至周五 9-12，14-18；周六 9-12。领取单会告诉居民在这些时间内前来领取。</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>保存资料</translation>
    </message>
    <message>
        <source>Requests, kiosk and printing</source>
        <translation>需求、自助机与打印</translation>
    </message>
    <message>
        <source>Keep phone numbers (days)</source>
        <translation>电话号码保留（天）</translation>
    </message>
    <message>
        <source>Pickup window (hours)</source>
        <translation>领取时限（小时）</translation>
    </message>
    <message>
        <source>Kiosk idle timeout (seconds)</source>
        <translation>自助机闲置超时（秒）</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Default language</source>
        <translation>默认语言</translation>
    </message>
    <message>
        <source>the system&apos;s default printer</source>
        <translation>系统默认打印机</translation>
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
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Limits per person per 7 days</source>
        <translation>每人每 7 天限量</translation>
    </message>
    <message>
        <source>Type this station&apos;s own limit in the last column; leave it empty to use the catalog&apos;s. A household may take the limit times its size (up to 6).</source>
        <translation>在最后一列填写本站自己的限量；留空则使用目录的限量。一户可领取限量乘以户内人数（最多 6 人）。</translation>
    </message>
    <message>
        <source>Medicine</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Catalog limit</source>
        <translation>目录限量</translation>
    </message>
    <message>
        <source>This station</source>
        <translation>本站</translation>
    </message>
    <message>
        <source>Save limits</source>
        <translation>保存限量</translation>
    </message>
    <message>
        <source>Use the catalog&apos;s limits</source>
        <translation>恢复目录限量</translation>
    </message>
    <message>
        <source>Saved; nearby stations will see it at the next sync.</source>
        <translation>已保存；附近站点将在下次同步时看到。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Nothing was saved. {reason}</source>
        <translation>未保存任何内容。{reason}</translation>
    </message>
    <message>
        <source>No limit was changed.</source>
        <translation>没有更改任何限量。</translation>
    </message>
    <message>
        <source>Saved {count} limits.</source>
        <translation>已保存 {count} 项限量。</translation>
    </message>
    <message>
        <source>Every item uses the catalog&apos;s limit again.</source>
        <translation>所有药品已恢复使用目录限量。</translation>
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
    <name>SlipPage</name>
    <message>
        <source>Scan my slip</source>
        <translation>查询领取单</translation>
    </message>
    <message>
        <source>Hold the square QR code on your pickup slip under the scanner.</source>
        <translation>请把领取单上的方形二维码放到扫码器下。</translation>
    </message>
    <message>
        <source>Waiting for the scanner…</source>
        <translation>等待扫码…</translation>
    </message>
    <message>
        <source>No scanner, or it does not read? Type the short code printed under the QR code:</source>
        <translation>没有扫码器，或扫不出来？请输入二维码下方印的短码：</translation>
    </message>
    <message>
        <source>e.g. 1A3-K7M-4QX</source>
        <translation>例如 1A3-K7M-4QX</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <source>Ready to collect</source>
        <translation>可以领取</translation>
    </message>
    <message>
        <source>Already collected</source>
        <translation>已经领取</translation>
    </message>
    <message>
        <source>The pickup time is over</source>
        <translation>领取期限已过</translation>
    </message>
    <message>
        <source>This slip was cancelled</source>
        <translation>此领取单已取消</translation>
    </message>
    <message>
        <source>Please ask at the desk</source>
        <translation>请到服务台咨询</translation>
    </message>
    <message>
        <source>Show the slip at the desk to collect it.</source>
        <translation>请到服务台出示领取单领药。</translation>
    </message>
    <message>
        <source>This slip cannot be read</source>
        <translation>无法识别此领取单</translation>
    </message>
    <message>
        <source>Try again, or ask at the desk.</source>
        <translation>请再试一次，或到服务台咨询。</translation>
    </message>
    <message>
        <source>Your slip&apos;s status will show here. Nothing is handed over at this screen.</source>
        <translation>领取单的状态会显示在这里。本机不发放药品。</translation>
    </message>
</context>
<context>
    <name>SparePage</name>
    <message>
        <source>Which medicine will you bring?</source>
        <translation>您要捐哪种药品？</translation>
    </message>
    <message>
        <source>Thank you! Only sealed, unopened boxes that have not expired can be shared.</source>
        <translation>谢谢您！只能分享包装完好、未拆封、未过期的药品。</translation>
    </message>
    <message>
        <source>Search by name (English or 中文)</source>
        <translation>按名称搜索（中文或英文）</translation>
    </message>
    <message>
        <source>Tell us what you will bring. Staff check the sealed box at the desk before it is shared.</source>
        <translation>请告诉我们您要带来的药品。工作人员会在服务台检查包装后再分享。</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Expiry year</source>
        <translation>有效期：年</translation>
    </message>
    <message>
        <source>Expiry month</source>
        <translation>有效期：月</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 返回</translation>
    </message>
    <message>
        <source>Register my drop-off</source>
        <translation>登记捐赠</translation>
    </message>
    <message>
        <source>That date has passed: expired medicine cannot be shared.</source>
        <translation>该日期已过：过期药品不能分享。</translation>
    </message>
    <message>
        <source>Good until the end of {month} (staff check the date on the box).</source>
        <translation>有效期至 {month} 月底（工作人员会核对包装盒上的日期）。</translation>
    </message>
    <message>
        <source>How many {unit}</source>
        <translation>数量（{unit}）</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Please bring the sealed box to the desk ({hours}) and show this number. Staff check it before it is shared.</source>
        <translation>请把未拆封的药品带到服务台（{hours}）并出示此号码。工作人员检查后再分享。</translation>
    </message>
    <message>
        <source>Please bring the sealed box to the desk and show this number. Staff check it before it is shared.</source>
        <translation>请把未拆封的药品带到服务台并出示此号码。工作人员检查后再分享。</translation>
    </message>
    <message>
        <source>Spare medicine: drop-off</source>
        <translation>闲置药品捐赠登记</translation>
    </message>
    <message>
        <source>No. {number}</source>
        <translation>第 {number} 号</translation>
    </message>
    <message>
        <source>Expires {date}</source>
        <translation>有效期至 {date}</translation>
    </message>
    <message>
        <source>What happens next</source>
        <translation>接下来</translation>
    </message>
    <message>
        <source>Thank you for sharing!</source>
        <translation>感谢您的分享！</translation>
    </message>
    <message>
        <source>Your drop-off number</source>
        <translation>您的捐赠登记号</translation>
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
        <source>This computer has no station yet. Give it a short code (letters and digits, for example HX01), a name residents know, and the address. Every day (expiry, reports) is a day in the station&apos;s time zone.</source>
        <translation>这台电脑还没有设置站点。请填写站点代码（字母和数字，例如 HX01）、居民熟悉的名称和地址。每一“天”（有效期、报表）都按站点所在时区计算。</translation>
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
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>开放时间</translation>
    </message>
    <message>
        <source>for example Mon-Sat 9:00-17:00</source>
        <translation>例如 周一至周六 9:00-17:00</translation>
    </message>
    <message>
        <source>Set up the station</source>
        <translation>设置站点</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>TRAINING station: practice only; its slips are not valid at any real station</source>
        <translation>培训站（TRAINING）：仅供练习；其领取单在任何正式站点均无效</translation>
    </message>
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
        <source>Last backup: none yet</source>
        <translation>上次备份：尚无</translation>
    </message>
    <message>
        <source>Last backup: {time}</source>
        <translation>上次备份：{time}</translation>
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
<context>
    <name>SyncScreen</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Sync with the central endpoint</source>
        <translation>与中心平台同步</translation>
    </message>
    <message>
        <source>This station</source>
        <translation>本站</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>已注册</translation>
    </message>
    <message>
        <source>Central endpoint</source>
        <translation>中心平台</translation>
    </message>
    <message>
        <source>Station id</source>
        <translation>站点编号</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <source>Last try</source>
        <translation>上次尝试</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Ask the central endpoint&apos;s operator for a one-time enrolment code (or its QR code). Type the address and the code, or scan the QR code into the code field.</source>
        <translation>请向中心平台的管理方索取一次性注册码（或其二维码）。输入地址和注册码，或将二维码扫入注册码一栏。</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>ABCD-EFGH-JKMN, or scan the QR code</source>
        <translation>ABCD-EFGH-JKMN，或扫描二维码</translation>
    </message>
    <message>
        <source>Enrol again (a new code makes a new station id)</source>
        <translation>重新注册（新注册码会生成新的站点编号）</translation>
    </message>
    <message>
        <source>Enrol this station</source>
        <translation>注册本站</translation>
    </message>
    <message>
        <source>Enrol again</source>
        <translation>重新注册</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No: this station works on its own until it is enrolled.</source>
        <translation>否：注册之前，本站独立运行。</translation>
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
        <source>{count} changes</source>
        <translation>{count} 条变更</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Synced.</source>
        <translation>已同步。</translation>
    </message>
    <message>
        <source>Could not sync; see the last error.</source>
        <translation>同步失败；请查看最近错误。</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>正在注册…</translation>
    </message>
    <message>
        <source>Enrolled as {station}.</source>
        <translation>已注册，站点编号 {station}。</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Staff only: leave kiosk mode</source>
        <translation>仅限工作人员：退出自助模式</translation>
    </message>
    <message>
        <source>A manager&apos;s PIN closes the resident screen.</source>
        <translation>输入管理员的 PIN 码即可关闭居民自助界面。</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>退出自助模式</translation>
    </message>
    <message>
        <source>Demo station: the manager is “{name}”, PIN {pin}.</source>
        <translation>演示站点：管理员为“{name}”，PIN 码 {pin}。</translation>
    </message>
    <message>
        <source>There is no manager account yet, so no PIN is needed. Set the station up at the desk.</source>
        <translation>还没有管理员账户，所以不需要 PIN 码。请在服务台完成站点设置。</translation>
    </message>
    <message>
        <source>Type the PIN.</source>
        <translation>请输入 PIN 码。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
    <message>
        <source>Only a manager can leave kiosk mode.</source>
        <translation>只有管理员才能退出自助模式。</translation>
    </message>
</context>
</TS>
