package extract

// The labels that documents print before (or above, or beside) each field, in the wordings of many
// issuers and years, most specific first. A field is found by its label wherever the layout puts
// it: after it on its line, to its right in the same row, or below it (see lookup).

// notOrgLabel are the words that, printed right before 名称 or 单位, make the label another
// thing's name: the platform's (平台名称 is what the platform is called, not the legal person that
// runs it), a website's, a project's, or a supervising or recommending body's.
var notOrgLabel = []string{"平台", "网站", "项目", "产品", "业务主管", "主管", "举办", "推荐", "上级", "开户",
	"服务", "合作", "委托", "品牌", "商标", "字号", "原"}

// lbOrgName is the organisation's own name: 名称 on a licence, 单位名称 or 申报单位 on a form.
var lbOrgName = label{alts: []string{
	"平台运营单位名称", "平台运营单位", "平台运营机构", "申报单位名称", "申请单位名称", "企业(单位)名称", "单位(企业)名称", "市场主体名称", "企业名称", "单位名称",
	"机构名称", "公司名称", "组织名称", "运营单位名称", "运营单位", "运营主体", "运营机构", "申报单位", "申请单位",
	"申报主体", "名称",
}, notAfter: notOrgLabel, atStart: true}

var (
	lbCredit      = lbl("统一社会信用代码", "社会信用代码", "信用代码", "统一代码")
	lbLegalRep    = lbl("法定代表人姓名", "法定代表人", "法定代表人(负责人)", "负责人姓名", "投资人姓名", "经营者姓名", "法定代表人(主要负责人)", "主要负责人", "负责人", "经营者", "执行事务合伙人", "投资人", "法人代表")
	lbEstablished = lbl("成立日期", "成立时间", "注册日期", "注册时间", "设立日期", "设立时间", "登记日期", "创建时间", "成立于")
	lbCapital     = lbl("注册资本", "注册资金", "开办资金", "出资额", "出资总额", "认缴出资额")
	lbTerm        = lbl("营业期限", "经营期限", "有效期限", "合伙期限", "有效期", "营业期限自")
	lbResidence   = label{alts: []string{"住所", "主要经营场所", "经营场所", "营业场所", "地址", "住址", "注册地址", "办公地址"}, atStart: true}
	lbTotalAssets = lbl("资产总额", "资产总计", "总资产", "资产合计")
	lbArea        = label{alts: []string{"建筑面积", "租赁面积", "使用面积", "房屋面积", "出租面积", "面积"},
		notAfter: []string{"宗地", "土地", "占地", "分摊", "公摊", "套内", "套内建筑", "分摊建筑"}}
)
