"""The DTI app takes over the framework's tables (from ``indicators``) and the
assessments' (from ``reporting``) as they are, rows and history included: Django's
record of the models is created here, the database is not touched. ``0002`` renames
the tables to the app's own names."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('indicators', '0007_framework_moved_to_dti'),
        ('reporting', '0010_dti_assessment_moved_to_dti'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Framework',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(max_length=50, unique=True, verbose_name='số quyết định')),
                        ('issued_on', models.DateField(verbose_name='ngày ban hành')),
                        ('title', models.CharField(max_length=500, verbose_name='tên')),
                        ('first_year', models.PositiveSmallIntegerField(verbose_name='áp dụng từ năm')),
                        ('max_points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='tổng điểm tối đa')),
                    ],
                    options={
                        'verbose_name': 'bộ chỉ số DTI',
                        'verbose_name_plural': 'bộ chỉ số DTI',
                        'db_table': 'indicators_framework',
                        'ordering': ['-first_year'],
                    },
                ),
                migrations.CreateModel(
                    name='DtiAssessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(help_text='Năm của chỉ số, ví dụ 2023 cho DTI 2023.', verbose_name='năm đánh giá')),
                        ('opens_on', models.DateField(blank=True, null=True, verbose_name='mở nhận số liệu, minh chứng')),
                        ('closes_on', models.DateField(blank=True, null=True, verbose_name='hạn gửi số liệu, minh chứng')),
                        ('published_on', models.DateField(blank=True, null=True, verbose_name='ngày Bộ công bố')),
                        ('published_index', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='chỉ số DTI Bộ công bố (0–1)')),
                        ('note', models.TextField(blank=True, help_text='Văn bản của Bộ về đợt đánh giá, …', verbose_name='ghi chú')),
                        ('province', models.ForeignKey(limit_choices_to={'kind': 'province'}, on_delete=django.db.models.deletion.PROTECT, related_name='dti_assessments', to='indicators.agency', verbose_name='tỉnh')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='dti.framework', verbose_name='bộ chỉ số')),
                    ],
                    options={
                        'verbose_name': 'đợt đánh giá DTI',
                        'verbose_name_plural': 'đợt đánh giá DTI',
                        'db_table': 'reporting_dtiassessment',
                        'ordering': ['province', '-year'],
                    },
                ),
                migrations.CreateModel(
                    name='FrameworkComponent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=20, verbose_name='mã')),
                        ('name', models.CharField(max_length=300, verbose_name='tên')),
                        ('max_points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='điểm tối đa')),
                        ('points_provisional', models.BooleanField(default=False, help_text='Chia đều điểm của chỉ số chính khi tệp không ghi điểm của chỉ số thành phần.', verbose_name='điểm tối đa tạm tính')),
                        ('rule', models.CharField(choices=[('share_of_target', 'Theo mức đạt so với chỉ tiêu'), ('thresholds', 'Theo ngưỡng'), ('yes_no', 'Có / không')], max_length=20, verbose_name='cách tính điểm')),
                        ('thresholds', models.JSONField(blank=True, default=list, help_text='[[mức, phần điểm], …] theo mức tăng dần', verbose_name='các ngưỡng')),
                        ('measured_by_ministry', models.BooleanField(default=False, verbose_name='Bộ tự đo từ nền tảng quốc gia')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                        ('indicators', models.ManyToManyField(blank=True, related_name='framework_components', to='indicators.indicator', verbose_name='chỉ tiêu của tỉnh')),
                    ],
                    options={
                        'verbose_name': 'chỉ số thành phần',
                        'verbose_name_plural': 'chỉ số thành phần',
                        'db_table': 'indicators_frameworkcomponent',
                        'ordering': ['main__order', 'order'],
                    },
                ),
                migrations.CreateModel(
                    name='ComponentSuccession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('earlier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='successors', to='dti.frameworkcomponent', verbose_name='chỉ số của bộ trước')),
                        ('later', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='predecessors', to='dti.frameworkcomponent', verbose_name='chỉ số của bộ sau')),
                    ],
                    options={
                        'verbose_name': 'chỉ số kế tiếp',
                        'verbose_name_plural': 'chỉ số kế tiếp',
                        'db_table': 'indicators_componentsuccession',
                    },
                ),
                migrations.CreateModel(
                    name='FrameworkIndicator',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=20, verbose_name='mã')),
                        ('name', models.CharField(max_length=200, verbose_name='tên')),
                        ('group', models.CharField(choices=[('foundation', 'Nền tảng chung'), ('activity', 'Hoạt động chuyển đổi số')], max_length=20, verbose_name='nhóm')),
                        ('max_points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='điểm tối đa')),
                        ('component_count', models.PositiveSmallIntegerField(blank=True, help_text='Kể cả các chỉ số thành phần chưa gắn với chỉ tiêu của tỉnh.', null=True, verbose_name='số chỉ số thành phần theo quyết định')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='main_indicators', to='dti.framework', verbose_name='bộ chỉ số')),
                    ],
                    options={
                        'verbose_name': 'chỉ số chính',
                        'verbose_name_plural': 'chỉ số chính',
                        'db_table': 'indicators_frameworkindicator',
                        'ordering': ['framework', 'order'],
                    },
                ),
                migrations.AddField(
                    model_name='frameworkcomponent',
                    name='main',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='components', to='dti.frameworkindicator', verbose_name='chỉ số chính'),
                ),
                migrations.CreateModel(
                    name='HistoricalDtiAssessment',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(help_text='Năm của chỉ số, ví dụ 2023 cho DTI 2023.', verbose_name='năm đánh giá')),
                        ('opens_on', models.DateField(blank=True, null=True, verbose_name='mở nhận số liệu, minh chứng')),
                        ('closes_on', models.DateField(blank=True, null=True, verbose_name='hạn gửi số liệu, minh chứng')),
                        ('published_on', models.DateField(blank=True, null=True, verbose_name='ngày Bộ công bố')),
                        ('published_index', models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True, verbose_name='chỉ số DTI Bộ công bố (0–1)')),
                        ('note', models.TextField(blank=True, help_text='Văn bản của Bộ về đợt đánh giá, …', verbose_name='ghi chú')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='dti.framework', verbose_name='bộ chỉ số')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('province', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'kind': 'province'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='indicators.agency', verbose_name='tỉnh')),
                    ],
                    options={
                        'verbose_name': 'historical đợt đánh giá DTI',
                        'verbose_name_plural': 'historical đợt đánh giá DTI',
                        'db_table': 'reporting_historicaldtiassessment',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFramework',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('decision', models.CharField(db_index=True, max_length=50, verbose_name='số quyết định')),
                        ('issued_on', models.DateField(verbose_name='ngày ban hành')),
                        ('title', models.CharField(max_length=500, verbose_name='tên')),
                        ('first_year', models.PositiveSmallIntegerField(verbose_name='áp dụng từ năm')),
                        ('max_points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='tổng điểm tối đa')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical bộ chỉ số DTI',
                        'verbose_name_plural': 'historical bộ chỉ số DTI',
                        'db_table': 'indicators_historicalframework',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalFrameworkIndicator',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code', models.CharField(max_length=20, verbose_name='mã')),
                        ('name', models.CharField(max_length=200, verbose_name='tên')),
                        ('group', models.CharField(choices=[('foundation', 'Nền tảng chung'), ('activity', 'Hoạt động chuyển đổi số')], max_length=20, verbose_name='nhóm')),
                        ('max_points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='điểm tối đa')),
                        ('component_count', models.PositiveSmallIntegerField(blank=True, help_text='Kể cả các chỉ số thành phần chưa gắn với chỉ tiêu của tỉnh.', null=True, verbose_name='số chỉ số thành phần theo quyết định')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('framework', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='dti.framework', verbose_name='bộ chỉ số')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical chỉ số chính',
                        'verbose_name_plural': 'historical chỉ số chính',
                        'db_table': 'indicators_historicalframeworkindicator',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPublishedComponentScore',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='điểm Bộ công bố')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('assessment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='dti.dtiassessment', verbose_name='đợt đánh giá')),
                        ('component', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='dti.frameworkcomponent', verbose_name='chỉ số thành phần')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical điểm Bộ công bố',
                        'verbose_name_plural': 'historical điểm Bộ công bố theo chỉ số thành phần',
                        'db_table': 'reporting_historicalpublishedcomponentscore',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PublishedComponentScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('points', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='điểm Bộ công bố')),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='component_scores', to='dti.dtiassessment', verbose_name='đợt đánh giá')),
                        ('component', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='published_scores', to='dti.frameworkcomponent', verbose_name='chỉ số thành phần')),
                    ],
                    options={
                        'verbose_name': 'điểm Bộ công bố',
                        'verbose_name_plural': 'điểm Bộ công bố theo chỉ số thành phần',
                        'db_table': 'reporting_publishedcomponentscore',
                        'ordering': ['assessment', 'component__main__order', 'component__order'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='dtiassessment',
                    constraint=models.UniqueConstraint(fields=('province', 'year'), name='dti_assessment_unique', violation_error_message='Tỉnh này đã có đợt đánh giá DTI của năm này.'),
                ),
                migrations.AddConstraint(
                    model_name='dtiassessment',
                    constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='dti_assessment_year_valid', violation_error_message='Năm phải từ 2000 đến 2100.'),
                ),
                migrations.AddConstraint(
                    model_name='dtiassessment',
                    constraint=models.CheckConstraint(condition=models.Q(('opens_on__isnull', True), ('closes_on__isnull', True), ('closes_on__gte', models.F('opens_on')), _connector='OR'), name='dti_assessment_window_ordered', violation_error_message='Hạn gửi không được sớm hơn ngày mở nhận.'),
                ),
                migrations.AddConstraint(
                    model_name='dtiassessment',
                    constraint=models.CheckConstraint(condition=models.Q(('published_index__isnull', True), models.Q(('published_index__gte', 0), ('published_index__lte', 1)), _connector='OR'), name='dti_assessment_index_range', violation_error_message='Chỉ số DTI công bố phải từ 0 đến 1.'),
                ),
                migrations.AddConstraint(
                    model_name='componentsuccession',
                    constraint=models.UniqueConstraint(fields=('earlier', 'later'), name='component_succession_unique'),
                ),
                migrations.AddConstraint(
                    model_name='frameworkindicator',
                    constraint=models.UniqueConstraint(fields=('framework', 'code'), name='framework_indicator_unique'),
                ),
                migrations.AddConstraint(
                    model_name='frameworkindicator',
                    constraint=models.CheckConstraint(condition=models.Q(('max_points__gte', 0)), name='framework_indicator_points_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='frameworkcomponent',
                    constraint=models.UniqueConstraint(fields=('main', 'code'), name='framework_component_unique'),
                ),
                migrations.AddConstraint(
                    model_name='frameworkcomponent',
                    constraint=models.CheckConstraint(condition=models.Q(('max_points__gte', 0)), name='framework_component_points_nonnegative'),
                ),
                migrations.AddConstraint(
                    model_name='publishedcomponentscore',
                    constraint=models.UniqueConstraint(fields=('assessment', 'component'), name='published_component_unique', violation_error_message='Chỉ số thành phần này đã có điểm công bố trong đợt đánh giá.'),
                ),
                migrations.AddConstraint(
                    model_name='publishedcomponentscore',
                    constraint=models.CheckConstraint(condition=models.Q(('points__gte', 0)), name='published_component_points_nonnegative', violation_error_message='Điểm không được âm.'),
                ),
            ],
            database_operations=[],
        ),
    ]
